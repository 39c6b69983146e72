"""A German local number: several mandatory documents with document types, KYC data from secrets.

Stack config:
  registration   (secret, JSON) the requirement groups, e.g. `pulumi config set --secret
                 --path 'registration[0].firstName' Erika` or `pulumi config set --secret
                 registration "$(cat registration.json)"`
  proofOfAddress / identityDocument   paths of the two documents (defaults: ./documents/…)
"""

from pathlib import Path

import pulumi

from sinch_numbers import AttachmentArgs, NumberOrder, VoiceConfigurationArgs

config = pulumi.Config()
here = Path(__file__).parent

order = NumberOrder(
    "de-local-number",
    region_code="DE",
    number_type="LOCAL",
    quantity=1,
    voice_configuration=VoiceConfigurationArgs(type="RTC", app_id="kyc-documents-voice-app"),
    # A secret config value stays secret through the resource; NumberOrder marks `registration`
    # and `attachments` secret itself as well, so even a plain value never lands in clear text.
    registration=config.require_secret_object("registration"),
    attachments=[
        AttachmentArgs(
            requirement_id="01jy0delocal0proofaddress01",
            file=config.get("proofOfAddress") or str(here / "documents" / "utility-bill.pdf"),
            document_type="Utility Bill",
        ),
        AttachmentArgs(
            requirement_id="01jy0delocal0identitydoc001",
            file=config.get("identityDocument") or str(here / "documents" / "national-id.png"),
            document_type="National ID",
        ),
    ],
    # Releasing a number is final: Sinch may give it to someone else. Keep it on `destroy`
    # unless the stack says otherwise, and protect it against accidental replacement.
    release_on_destroy=config.get_bool("releaseOnDestroy") or False,
    opts=pulumi.ResourceOptions(protect=config.get_bool("protect") is not False),
)

pulumi.export("order_id", order.order_id)
pulumi.export("state", order.state)
pulumi.export("phone_numbers", order.phone_numbers)
pulumi.export("registration_logs", order.registration_logs)
