// Phone numbers ordered from the Sinch Numbers API, with the KYC registration and documents their country needs, and the numbers' routing.
package sinch
