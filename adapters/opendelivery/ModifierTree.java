package opendelivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.menu.Menu;
import io.orderhub.model.CanonicalOrder.Modifier;
import io.orderhub.model.Money;
import io.orderhub.pipeline.PermanentFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Open Delivery order options are a flat list without their option group (v1.3.0 Order.items.options: id,
 * externalCode, name, quantity, unitPrice, totalPrice). The canonical modifier tree is rebuilt from the
 * location's menu: an option whose externalCode is in one of the item's groups is a top-level modifier of that
 * group; otherwise it goes under the latest chosen option that has a group offering it (e.g. a fries size under
 * the chosen fries). An option found nowhere stays top-level without a group, and validation rejects it.
 */
final class ModifierTree {

    private ModifierTree() {
    }

    /** A chosen option while the tree is built; {@code flatQuantity} is per ONE unit of the order item. */
    private static final class Node {
        final JsonNode json;
        final String groupId;
        final Menu.Option option;
        final int flatQuantity;
        final List<Node> children = new ArrayList<>();

        Node(JsonNode json, String groupId, Menu.Option option, int flatQuantity) {
            this.json = json;
            this.groupId = groupId;
            this.option = option;
            this.flatQuantity = flatQuantity;
        }
    }

    static List<Modifier> build(JsonNode options, Menu.Item item, String currency, String where) {
        if (options.isMissingNode() || options.isNull()) {
            return List.of();
        }
        if (!options.isArray()) {
            throw new PermanentFailure("opendelivery: " + where + " options is not a list");
        }
        List<Node> top = new ArrayList<>();
        List<Node> chosen = new ArrayList<>();
        for (JsonNode o : options) {
            String code = OpenDeliveryAdapter.requiredText(o, "externalCode", where + " option");
            int quantity = OrderMapper.wholeNumber(OrderMapper.decimal(o.path("quantity"),
                    where + " option " + code + " quantity"), where + " option " + code + " quantity");
            Node node = null;
            for (Menu.ModifierGroup g : item == null ? List.<Menu.ModifierGroup>of() : item.groups()) {
                if (g.option(code).isPresent()) {
                    node = new Node(o, g.id(), g.option(code).get(), quantity);
                    top.add(node);
                    break;
                }
            }
            for (int i = chosen.size() - 1; node == null && i >= 0; i--) {
                Node parent = chosen.get(i);
                for (Menu.ModifierGroup g : parent.option == null ? List.<Menu.ModifierGroup>of()
                        : parent.option.groups()) {
                    if (g.option(code).isPresent()) {
                        node = new Node(o, g.id(), g.option(code).get(), quantity);
                        parent.children.add(node);
                        break;
                    }
                }
            }
            if (node == null) {
                node = new Node(o, null, null, quantity);
                top.add(node);
            }
            chosen.add(node);
        }
        List<Modifier> out = new ArrayList<>();
        for (Node n : top) {
            out.add(modifier(n, 1, currency, where));
        }
        return out;
    }

    /** Canonical quantity is per ONE unit of the parent: the flat per-item quantity over the parent's. */
    private static Modifier modifier(Node n, int parentFlatQuantity, String currency, String where) {
        String code = n.json.path("externalCode").asText();
        if (n.flatQuantity % parentFlatQuantity != 0) {
            throw new PermanentFailure("opendelivery: " + where + " option " + code + " quantity " + n.flatQuantity
                    + " is not a whole number per its parent option (" + parentFlatQuantity + ")");
        }
        List<Modifier> children = new ArrayList<>();
        for (Node c : n.children) {
            children.add(modifier(c, n.flatQuantity, currency, where));
        }
        Money unitPrice = OrderMapper.price(n.json.path("unitPrice"), currency, where + " option " + code
                + " unitPrice");
        String name = n.json.path("name").asText(n.option == null ? code : n.option.name());
        return new Modifier(code, n.groupId, name, n.flatQuantity / parentFlatQuantity, unitPrice, children);
    }
}
