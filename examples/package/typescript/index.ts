// One Australian mobile number for SMS, ordered with its KYC registration and two documents.
//
// Stack config (`pulumi config set`, in the folder the runner works in):
//   sinch:projectId, sinch:keyId, sinch:keySecret (--secret), sinch:numbersUrl, sinch:authUrl
//   registration      (--secret) the requirement groups as JSON, e.g. registration.example.json
//   proofOfAddress    path of the proof of business address (PDF)
//   identityDocument  path of the contact's identity document (PNG or PDF)
//   servicePlanId     the SMS service plan the number is attached to
//   callbackUrl       optional: where Sinch sends the order's events (https)
import * as pulumi from "@pulumi/pulumi";
import * as sinch from "@sinch-numbers/pulumi-sinch";

export async function orderProgram() {
    const config = new pulumi.Config();
    const order = new sinch.numbers.NumberOrder("au-sms-number", {
        regionCode: "AU",
        numberType: "MOBILE",
        quantity: 1,
        // Routing: a change updates the order (or its numbers) in place; no new order.
        smsConfiguration: { servicePlanId: config.get("servicePlanId") ?? "example-service-plan" },
        callbackUrl: config.get("callbackUrl"),
        // Personal data: kept in secret config, and the provider stores it as a secret anyway.
        registration: config.requireSecretObject("registration"),
        attachments: [
            {
                requirementId: "01jxn2251d0shhamtbykft2xzx", // proof of business address
                file: new pulumi.asset.FileAsset(config.require("proofOfAddress")),
            },
            {
                requirementId: "01jxn22a7kq3m8v5t0w2r4y6zb", // identity document of the contact
                file: new pulumi.asset.FileAsset(config.require("identityDocument")),
                documentType: "Passport",
            },
        ],
        // Releasing a number is final: Sinch may give it to someone else.
        releaseOnDestroy: config.getBoolean("releaseOnDestroy") ?? true,
    });
    return {
        orderId: order.orderId,
        state: order.state,
        phoneNumbers: order.phoneNumbers,
    };
}
