"""Quickstart: one Australian mobile number for SMS, with its KYC registration and documents.

Stack config (Pulumi.dev.yaml at the top of the repository has it for the emulator):
  sinch:projectId / sinch:keyId / sinch:keySecret / sinch:numbersUrl / sinch:authUrl
  servicePlanId       the SMS service plan the number is attached to
  waitForCompletion   wait for Sinch's review inside `pulumi up` (default false)
"""

from pathlib import Path

import pulumi

from sinch_numbers import AttachmentArgs, NumberOrder, SmsConfigurationArgs

config = pulumi.Config()
documents = Path(__file__).parent / "documents"

# Registration data is personal data: NumberOrder stores it as a Pulumi secret. Real stacks load
# it from secret config (see examples/kyc-documents); this sample is fictitious.
registration = [
    [
        {
            "senderId": "+61412000100",
            "purposeOfTheTraffic": "Appointment reminders",
            "intendedUseOfMobileNumbers": "Transactional",
            "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": True,
        }
    ],
    {
        "endBusinessName": "Example Clinic Pty Ltd",
        "endBusinessAddress": "1 Collins St",
        "city": "Melbourne",
        "state": "VIC",
        "country": "AU",
        "postalCode": "3000",
    },
    {"firstName": "Alex", "lastName": "Citizen", "phoneNumber": "+61400000000"},
]

order = NumberOrder(
    "au-sms-number",
    region_code="AU",
    number_type="MOBILE",
    quantity=1,
    sms_configuration=SmsConfigurationArgs(
        service_plan_id=config.get("servicePlanId") or "quickstart-service-plan"
    ),
    registration=registration,
    attachments=[
        AttachmentArgs(
            requirement_id="01jxn2251d0shhamtbykft2xzx",  # proof of business address
            file=pulumi.FileAsset(str(documents / "proof-of-address.pdf")),
        ),
        AttachmentArgs(
            requirement_id="01jxn22a7kq3m8v5t0w2r4y6zb",  # identity document of the contact
            file=pulumi.FileAsset(str(documents / "identity-document.png")),
            document_type="Passport",
        ),
    ],
    wait_for_completion=config.get_bool("waitForCompletion") or False,
    completion_timeout=config.get_float("completionTimeout") or 600,
)

pulumi.export("order_id", order.order_id)
pulumi.export("state", order.state)
pulumi.export("expire_time", order.expire_time)
pulumi.export("phone_numbers", order.phone_numbers)
pulumi.export("registration_logs", order.registration_logs)
