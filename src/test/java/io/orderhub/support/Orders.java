package io.orderhub.support;

/** Own-channel order bodies used across tests. Prices follow config/menus. */
public final class Orders {

    private Orders() {
    }

    /**
     * Soho (GBP, prices include 20 % VAT): 2 x (burger 1150 + cheddar 100) + lemonade 350 = 2850 subtotal,
     * VAT inside it 2850 x 20/120 = 475, tip 200, total 3050.
     */
    public static String soho(String externalId) {
        return """
                {"channel": "web", "locationId": "soho", "externalId": "%s", "type": "pickup", "currency": "GBP",
                 "lines": [
                   {"itemId": "classic-burger", "quantity": 2, "unitPrice": 1150,
                    "modifiers": [
                      {"groupId": "doneness", "modifierId": "medium", "quantity": 1, "unitPrice": 0},
                      {"groupId": "extras", "modifierId": "cheddar", "quantity": 1, "unitPrice": 100}],
                    "notes": "no onions", "allergies": ["sesame"]},
                   {"itemId": "lemonade", "quantity": 1, "unitPrice": 350}],
                 "tip": 200,
                 "customer": {"name": "Ada L.", "phone": "+44 20 7946 0000", "marketingConsent": false},
                 "payments": [{"method": "card", "provider": "stripe", "token": "pi_demo", "last4": "4242",
                               "amount": 3050}],
                 "expectedTotal": 3050}
                """.formatted(externalId);
    }
}
