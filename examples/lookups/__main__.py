"""Lookups: refer to KYC requirements by their title instead of copying ids from the CLI.

`lookup_requirements` asks Sinch (once per process) what SE TOLL_FREE numbers need, and the program
builds each AttachmentArgs from the requirement whose title names the document. A renamed or new
mandatory requirement fails the program in `pulumi preview`, before any order exists.

Stack config: the sinch:* keys as for every stack, and
  trunkId   the Elastic SIP trunk the number routes to
"""

from pathlib import Path

import pulumi

from sinch_numbers import (
    AttachmentArgs,
    NumberOrder,
    VoiceConfigurationArgs,
    find_available_numbers,
    lookup_requirements,
)

config = pulumi.Config()
documents = Path(__file__).parent / "documents"

requirements = lookup_requirements("SE", "TOLL_FREE")
if not requirements.offered:
    raise ValueError("Sinch does not offer SE TOLL_FREE numbers to this project")

# Our documents, by the title of the requirement each one answers.
files = {"Service description": documents / "service-description.pdf"}
missing = [r.title for r in requirements.mandatory_attachments if r.title not in files]
if missing:
    raise ValueError(f"no document for the mandatory requirement(s): {', '.join(missing)}")
attachments = [
    AttachmentArgs(
        requirement_id=requirements.attachment(title).id,
        file=pulumi.FileAsset(str(path)),
    )
    for title, path in files.items()
]

order = NumberOrder(
    "se-support-line",
    region_code="SE",
    number_type="TOLL_FREE",
    quantity=1,
    voice_configuration=VoiceConfigurationArgs(
        type="EST", trunk_id=config.get("trunkId") or "lookups-trunk"
    ),
    # Registration data is personal data; real stacks read it from secret config.
    registration=[
        {
            "organisationNumber": "556677-8899",
            "organisationName": "Exempel AB",
            "serviceDescription": "Customer support line for Exempel AB",
            "acceptsTerms": True,
        }
    ],
    attachments=attachments,
)

# What such a number costs now: a snapshot for the reader, never an input (see docs/lookups.md).
offered = find_available_numbers("SE", "TOLL_FREE", size=3)
pulumi.export("monthly_prices", sorted({str(n.monthly_price) for n in offered if n.monthly_price}))
pulumi.export("order_id", order.order_id)
pulumi.export("phone_numbers", order.phone_numbers)
