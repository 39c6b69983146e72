"""Modules generated from the resources' declarations by ``make generate``; do not edit them."""
