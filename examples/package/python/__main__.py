"""One Australian mobile number for SMS, ordered through the sinch provider plugin
(`pulumi-resource-sinch`) with the generated Python SDK `pulumi_sinch`: its KYC registration and
two documents, then the wait for Sinch's review as a resource of its own. Every value is
fictitious.

Stack config: the `sinch:` settings (sinch:projectId, sinch:keyId, `--secret` sinch:keySecret),
and optionally servicePlanId, callbackUrl and reviewTimeout (seconds).
"""

from pathlib import Path

import pulumi
from pulumi_sinch import numbers

config = pulumi.Config()
documents = Path(__file__).parent / "documents"

# Personal data: the package marks the registration and the documents secret. Real stacks load
# it from secret config; this sample is fictitious.
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
        "endBusinessAddress": "1 Example Street",
        "city": "Melbourne",
        "state": "VIC",
        "country": "AU",
        "postalCode": "3000",
    },
    {"firstName": "Alex", "lastName": "Example", "phoneNumber": "+61400000000"},
]

order = numbers.NumberOrder(
    "au-sms-number",
    region_code="AU",
    number_type="MOBILE",
    quantity=1,
    sms_configuration=numbers.SmsConfigurationArgs(
        service_plan_id=config.get("servicePlanId") or "example-service-plan"
    ),
    callback_url=config.get("callbackUrl"),
    registration=registration,
    attachments=[
        numbers.AttachmentArgs(
            requirement_id="01jxn2251d0shhamtbykft2xzx",  # proof of business address
            file=pulumi.FileAsset(str(documents / "proof-of-address.pdf")),
        ),
        numbers.AttachmentArgs(
            requirement_id="01jxn22a7kq3m8v5t0w2r4y6zb",  # identity document of the contact
            file=pulumi.FileAsset(str(documents / "identity-document.png")),
            document_type="Passport",
        ),
    ],
)

# The wait for review: `up` ends once Sinch approves (or fails at the timeout); the order itself
# is saved as soon as it is submitted.
review = numbers.NumberOrderCompletion(
    "au-sms-number-review",
    order_id=order.order_id,
    timeout=config.get_float("reviewTimeout") or 3600,
)

pulumi.export("orderId", order.order_id)
pulumi.export("orderState", order.state)
pulumi.export("phoneNumbers", review.phone_numbers)
