"""Ten US local numbers for voice over an Elastic SIP trunk: a quantity order, no KYC.

Stack config:
  trunkId      the EST trunk the numbers route to (required)
  quantity     how many numbers (default 10, 1..100)
  areaPattern  an E.164 prefix to match, e.g. +1307 (default +1307)
"""

import pulumi

from sinch_numbers import NumberOrder, VoiceConfigurationArgs

config = pulumi.Config()

numbers = NumberOrder(
    "us-voice-numbers",
    region_code="US",
    number_type="LOCAL",
    quantity=config.get_int("quantity") or 10,
    number_pattern=config.get("areaPattern") or "+1307",
    search_pattern="START",
    capabilities=["VOICE"],
    voice_configuration=VoiceConfigurationArgs(type="EST", trunk_id=config.require("trunkId")),
    # US local numbers need no KYC: the requirements lookup answers 404 and the order is
    # submitted straight after it is created. Sinch still reviews it.
    wait_for_completion=config.get_bool("waitForCompletion") or False,
)

pulumi.export("order_id", numbers.order_id)
pulumi.export("state", numbers.state)
pulumi.export("phone_numbers", numbers.phone_numbers)
pulumi.export(
    "monthly_prices",
    numbers.order_numbers.apply(
        lambda rows: {row["phone_number"]: row.get("monthly_price") for row in rows or []}
    ),
)
