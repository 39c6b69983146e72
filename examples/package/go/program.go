package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/sinch-numbers/sinch-numbers/sdk/go/sinch/numbers"
)

// orderProgram orders one Australian mobile number for SMS, with its KYC registration and two
// documents.
//
// Stack config (`pulumi config set`, in the folder the runner works in):
//
//	sinch:projectId, sinch:keyId, sinch:keySecret (--secret), sinch:numbersUrl, sinch:authUrl
//	registration      (--secret) the requirement groups as JSON, e.g. registration.example.json
//	proofOfAddress    path of the proof of business address (PDF)
//	identityDocument  path of the contact's identity document (PNG or PDF)
//	servicePlanId     the SMS service plan the number is attached to
//	callbackUrl       optional: where Sinch sends the order's events (https)
func orderProgram(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	servicePlanID := cfg.Get("servicePlanId")
	if servicePlanID == "" {
		servicePlanID = "example-service-plan"
	}
	var callbackURL pulumi.StringPtrInput
	if url := cfg.Get("callbackUrl"); url != "" {
		callbackURL = pulumi.String(url)
	}
	releaseOnDestroy := true
	if value, err := cfg.TryBool("releaseOnDestroy"); err == nil {
		releaseOnDestroy = value
	}
	// Personal data: kept in secret config, and the provider stores it as a secret anyway.
	var groups []interface{}
	registration := cfg.RequireSecretObject("registration", &groups)
	order, err := numbers.NewNumberOrder(ctx, "au-sms-number", &numbers.NumberOrderArgs{
		RegionCode: pulumi.String("AU"),
		NumberType: pulumi.String("MOBILE"),
		Quantity:   pulumi.Int(1),
		// Routing: a change updates the order (or its numbers) in place; no new order.
		SmsConfiguration: numbers.SmsConfigurationArgs{ServicePlanId: pulumi.String(servicePlanID)},
		CallbackUrl:      callbackURL,
		Registration:     registration,
		Attachments: numbers.AttachmentArray{
			numbers.AttachmentArgs{ // proof of business address
				RequirementId: pulumi.String("01jxn2251d0shhamtbykft2xzx"),
				File:          pulumi.NewFileAsset(cfg.Require("proofOfAddress")),
			},
			numbers.AttachmentArgs{ // identity document of the contact
				RequirementId: pulumi.String("01jxn22a7kq3m8v5t0w2r4y6zb"),
				File:          pulumi.NewFileAsset(cfg.Require("identityDocument")),
				DocumentType:  pulumi.String("Passport"),
			},
		},
		// Releasing a number is final: Sinch may give it to someone else.
		ReleaseOnDestroy: pulumi.Bool(releaseOnDestroy),
	})
	if err != nil {
		return err
	}
	ctx.Export("orderId", order.OrderId)
	ctx.Export("state", order.State)
	ctx.Export("phoneNumbers", order.PhoneNumbers)
	return nil
}
