"""One Australian local number for voice, ordered with its KYC registration and document.

Stack config (`pulumi new` asked for it; `pulumi config` shows it):
  sinch:projectId, sinch:keyId, sinch:keySecret, sinch:numbersUrl, sinch:authUrl
  trunkId         the Elastic SIP trunk the number's calls go to
  registration    the registration data as JSON, a secret: it is personal data
"""

from pathlib import Path

import pulumi

from sinch_numbers import AttachmentArgs, NumberOrder, VoiceConfigurationArgs

config = pulumi.Config()
documents = Path(__file__).parent / "documents"

order = NumberOrder(
    "phone-number",
    region_code="AU",
    number_type="LOCAL",
    # AU LOCAL's registration names no ordered number, so Sinch may pick it.
    quantity=1,
    voice_configuration=VoiceConfigurationArgs(type="EST", trunk_id=config.require("trunkId")),
    registration=config.require_secret_object("registration"),
    attachments=[
        AttachmentArgs(
            # The id `sinch-numbers requirements AU LOCAL` lists for the proof of local address.
            requirement_id="01jy0aulocal0proofaddrs0001",
            file=pulumi.FileAsset(str(documents / "proof-of-local-address.pdf")),
        )
    ],
)

pulumi.export("order_id", order.order_id)
pulumi.export("state", order.state)
pulumi.export("phone_numbers", order.phone_numbers)
pulumi.export("registration_logs", order.registration_logs)
