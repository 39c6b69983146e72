"""Registration PUT/GET with validation, and attachment uploads."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from emulator_helpers import PAIRS_WITH_KYC, create_order, error_of, upload, violations_of

from sinch_numbers.emulator.sample_files import jpeg_bytes, pdf_bytes, png_bytes
from sinch_numbers.testing.emulator import EmulatorProcess

AU_PROOF = "01jxn2251d0shhamtbykft2xzx"  # PDF/PNG/JPEG, no document types
AU_IDENTITY = "01jxn22a7kq3m8v5t0w2r4y6zb"  # identity documents
AU_LETTER = "01jxn22f3d9h6c1x8n5p7q2s4t"  # optional, PDF only


def registration_path(order: dict[str, Any]) -> str:
    return f"/numberOrders/{order['idNumberOrder']}/registration"


@pytest.mark.parametrize(("region", "number_type"), PAIRS_WITH_KYC)
def test_samples_are_valid_registrations(
    api: httpx.Client, emulator: EmulatorProcess, region: str, number_type: str
) -> None:
    order = create_order(api, region, number_type)
    sample = emulator.sample(region, number_type)
    response = api.put(
        registration_path(order), json={"requestDetails": {"data": sample.registration}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {"requestDetails": {"data": sample.registration}, "attachments": [], "logs": []}
    assert api.get(registration_path(order)).json() == body
    for item in sample.attachments:
        result = upload(
            api,
            order["idNumberOrder"],
            item.requirement_id,
            item.content,
            item.file_name,
            item.document_type,
        )
        assert result.status_code == 200, result.text
        assert result.json() == {}


def test_sample_files_are_what_they_claim(emulator: EmulatorProcess) -> None:
    sample = emulator.sample("AU", "MOBILE")
    assert sample.attachments
    assert pdf_bytes().startswith(b"%PDF-")
    assert pdf_bytes().rstrip().endswith(b"%%EOF")
    assert png_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert jpeg_bytes().startswith(b"\xff\xd8\xff")
    assert jpeg_bytes().endswith(b"\xff\xd9")
    us = emulator.sample("US", "LOCAL")
    assert us.registration is None
    assert us.attachments == []


def test_older_data_form_is_accepted(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api, "SE", "TOLL_FREE")
    data = emulator.sample("SE", "TOLL_FREE").registration
    response = api.put(registration_path(order), json={"data": data})
    assert response.status_code == 200
    assert response.json()["requestDetails"] == {"data": data}
    bad = copy.deepcopy(data)
    bad[0]["acceptsTerms"] = False
    assert violations_of(api.put(registration_path(order), json={"data": bad})) == {
        "data[0].acceptsTerms": "must be true"
    }


def test_violations_name_paths_and_rules_never_values(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order = create_order(api, "AU", "MOBILE")
    data = copy.deepcopy(emulator.sample("AU", "MOBILE").registration)
    data[0][0]["iConfirmThatMyBusinessHasAValidUseCaseForThisLn"] = False
    data[0][0]["intendedUseOfMobileNumbers"] = "SECRET-ENUM-VALUE"
    data[1]["postalCode"] = "SECRET"
    data[1]["city"] = "X" * 51
    data[1]["nickname"] = "SECRET-EXTRA"
    del data[2]["firstName"]
    data[2]["phoneNumber"] = "SECRET-PHONE"
    response = api.put(registration_path(order), json={"requestDetails": {"data": data}})
    assert violations_of(response) == {
        "requestDetails.data[0][0].iConfirmThatMyBusinessHasAValidUseCaseForThisLn": "must be true",
        "requestDetails.data[0][0].intendedUseOfMobileNumbers": "must be one of the allowed values",
        "requestDetails.data[1].postalCode": "must be at most 4 characters",
        "requestDetails.data[1].city": "must be at most 50 characters",
        "requestDetails.data[1].nickname": "unknown field",
        "requestDetails.data[2].firstName": "is required",
        "requestDetails.data[2].phoneNumber": r"must match the pattern ^\+[1-9][0-9]{6,14}$",
    }
    assert "SECRET" not in response.text
    assert "XXXXX" not in response.text
    # Nothing was stored by a rejected PUT.
    assert api.get(registration_path(order)).json()["requestDetails"] == {}


def test_shape_violations(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api, "GB", "MOBILE")
    data = emulator.sample("GB", "MOBILE").registration
    path = registration_path(order)

    def put(payload: Any) -> dict[str, str]:
        return violations_of(api.put(path, json={"requestDetails": {"data": payload}}))

    assert put({"a": 1}) == {
        "requestDetails.data": "must be a list of 2 entries, one per requirement rule"
    }
    assert put(data[:1]) == {
        "requestDetails.data": "must be a list of 2 entries, one per requirement rule"
    }
    assert put([data[0], []]) == {"requestDetails.data[1]": "expected a list of 1 to 2 entries"}
    assert put([data[0], data[1] * 2]) == {
        "requestDetails.data[1]": "expected a list of 1 to 2 entries"
    }
    assert put([data[0], data[1][0]]) == {
        "requestDetails.data[1]": "expected a list of 1 to 2 entries"
    }
    assert put([[data[0]], data[1]]) == {"requestDetails.data[0]": "must be an object"}
    assert put([{**data[0], "companyName": 7}, data[1]]) == {
        "requestDetails.data[0].companyName": "must be a string"
    }
    assert violations_of(api.put(path, json={"requestDetails": {}})) == {
        "requestDetails.data": "is required"
    }
    assert violations_of(api.put(path, json={"requestDetails": []})) == {
        "requestDetails": "must be an object"
    }
    assert violations_of(api.put(path, json={})) == {"requestDetails": "is required"}


def test_number_types_of_fields(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api, "BR", "MOBILE")
    data = copy.deepcopy(emulator.sample("BR", "MOBILE").registration)
    data[0]["employees"] = 2.5
    data[2]["monthlyVolume"] = "lots"
    data[2]["acceptsAnatelTerms"] = "true"
    assert violations_of(
        api.put(registration_path(order), json={"requestDetails": {"data": data}})
    ) == {
        "requestDetails.data[0].employees": "must be an integer",
        "requestDetails.data[2].monthlyVolume": "must be a number",
        "requestDetails.data[2].acceptsAnatelTerms": "must be a boolean",
    }
    data[0]["employees"] = None  # optional fields may be null
    data[2]["monthlyVolume"] = 3
    data[2]["acceptsAnatelTerms"] = True
    assert (
        api.put(registration_path(order), json={"requestDetails": {"data": data}}).status_code
        == 200
    )


def test_orders_without_requirements_store_any_registration(api: httpx.Client) -> None:
    order = create_order(api, "US", "LOCAL")
    response = api.put(registration_path(order), json={"requestDetails": {"data": {"anything": 1}}})
    assert response.status_code == 200
    assert response.json()["requestDetails"] == {"data": {"anything": 1}}


def test_registration_of_unknown_order(api: httpx.Client) -> None:
    assert api.get("/numberOrders/nope/registration").status_code == 404
    assert (
        api.put(
            "/numberOrders/nope/registration", json={"requestDetails": {"data": []}}
        ).status_code
        == 404
    )


def test_upload_appears_in_registration(api: httpx.Client) -> None:
    order = create_order(api)
    response = upload(
        api, order["idNumberOrder"], AU_IDENTITY, png_bytes(), "passport.png", "Passport"
    )
    assert response.status_code == 200
    assert response.json() == {}
    (attachment,) = api.get(registration_path(order)).json()["attachments"]
    assert attachment["attachmentId"] == AU_IDENTITY
    assert attachment["fileName"] == "passport.png"
    assert attachment["mimeType"] == "image/png"
    assert attachment["documentType"] == "Passport"
    assert attachment["uploadStatus"] == "COMPLETED"
    assert set(attachment) == {
        "attachmentId",
        "fileName",
        "mimeType",
        "createTime",
        "updateTime",
        "uploadStatus",
        "documentType",
    }


def test_reupload_replaces(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api)
    upload(api, order["idNumberOrder"], AU_PROOF, pdf_bytes(), "first.pdf")
    first = api.get(registration_path(order)).json()["attachments"][0]
    emulator.advance_clock(5)
    upload(api, order["idNumberOrder"], AU_PROOF, jpeg_bytes(), "second.jpg")
    (second,) = api.get(registration_path(order)).json()["attachments"]
    assert second["fileName"] == "second.jpg"
    assert second["mimeType"] == "image/jpeg"
    assert second["createTime"] == first["createTime"]
    assert second["updateTime"] > first["updateTime"]


def test_mime_type_is_judged_by_content(api: httpx.Client) -> None:
    order = create_order(api)
    # PNG bytes declared as a PDF, for a PDF-only requirement.
    lying = upload(
        api,
        order["idNumberOrder"],
        AU_LETTER,
        png_bytes(),
        "letter.pdf",
        declared_type="application/pdf",
    )
    assert lying.status_code == 400
    assert "file" in violations_of(lying)
    # A real PDF declared as text is fine.
    honest = upload(
        api,
        order["idNumberOrder"],
        AU_LETTER,
        pdf_bytes(),
        "letter.txt",
        declared_type="text/plain",
    )
    assert honest.status_code == 200
    text = upload(api, order["idNumberOrder"], AU_PROOF, b"just some text", "proof.pdf")
    assert "file" in violations_of(text)


def test_document_types(api: httpx.Client) -> None:
    order = create_order(api)
    order_id = order["idNumberOrder"]
    assert violations_of(
        upload(api, order_id, AU_IDENTITY, pdf_bytes(), "id.pdf", "Library card")
    ) == {"documentType": "must be one of Passport, Driver's License, National ID"}
    assert "documentType" in violations_of(
        upload(api, order_id, AU_IDENTITY, pdf_bytes(), "id.pdf")
    )
    assert (
        upload(api, order_id, AU_IDENTITY, pdf_bytes(), "id.pdf", "Driver's License").status_code
        == 200
    )
    # No restriction listed: any document type is accepted.
    assert (
        upload(api, order_id, AU_PROOF, pdf_bytes(), "bill.pdf", "Utility Bill").status_code == 200
    )


def test_oversize_upload_is_413(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api)
    emulator.settings(max_upload_bytes=2000)
    big = pdf_bytes() + b"0" * 2000
    response = upload(api, order["idNumberOrder"], AU_PROOF, big, "big.pdf")
    assert response.status_code == 413
    error = error_of(response)
    assert error["status"] == "CONTENT_TOO_LARGE"
    assert error["details"][0]["type"] == "RequestEntityTooLarge"
    assert upload(api, order["idNumberOrder"], AU_PROOF, pdf_bytes(), "ok.pdf").status_code == 200


def test_default_size_limit_is_5_mib(api: httpx.Client) -> None:
    order = create_order(api)
    response = upload(
        api, order["idNumberOrder"], AU_PROOF, pdf_bytes() + b"0" * (5 * 1024 * 1024), "huge.pdf"
    )
    assert response.status_code == 413
    assert error_of(response)["status"] == "CONTENT_TOO_LARGE"


def test_upload_errors(api: httpx.Client) -> None:
    order = create_order(api)
    order_id = order["idNumberOrder"]
    unknown = upload(api, order_id, "no-such-requirement", pdf_bytes())
    assert unknown.status_code == 404
    assert error_of(unknown)["details"][0]["resourceType"] == "Attachment"
    assert upload(api, "no-such-order", AU_PROOF, pdf_bytes()).status_code == 404
    not_multipart = api.post(f"/numberOrders/{order_id}/attachments/{AU_PROOF}", json={"file": "x"})
    assert "Content-Type" in violations_of(not_multipart)
    no_file = api.post(
        f"/numberOrders/{order_id}/attachments/{AU_PROOF}", files={"other": ("a", b"x")}
    )
    assert "file" in violations_of(no_file)
    empty = upload(api, order_id, AU_PROOF, b"", "empty.pdf")
    assert "file" in violations_of(empty)
    garbage = api.post(
        f"/numberOrders/{order_id}/attachments/{AU_PROOF}",
        content=b"--x\r\nnot really multipart",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert garbage.status_code == 400
    us = create_order(api, "US", "LOCAL")
    assert upload(api, us["idNumberOrder"], AU_PROOF, pdf_bytes()).status_code == 404
