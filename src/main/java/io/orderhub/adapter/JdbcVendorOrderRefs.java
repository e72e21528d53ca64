package io.orderhub.adapter;

import io.orderhub.support.Text;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link VendorOrderRefs} in table vendor_order_ref, with the vendor's id added to order_external_id. Reads run
 * outside any caller's transaction: a stage reads a reference before its vendor call, and a stage delivery's
 * transaction must not take a pooled connection until its first write after the call (StageDelivery).
 */
@Component
public class JdbcVendorOrderRefs implements VendorOrderRefs {

    private static final RowMapper<Ref> REF = (rs, n) -> new Ref(rs.getObject("order_id", UUID.class),
            rs.getString("vendor_order_id"), rs.getString("version"), rs.getString("data"));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcVendorOrderRefs(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void remember(String adapter, Ref ref) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        String data = ref.data() == null ? null : Text.clip(ref.data(), 4000);
        int updated = jdbc.update("update vendor_order_ref set vendor_order_id = ?, version = ?, data = ?, "
                + "updated_at = ? where adapter = ? and order_id = ?", ref.vendorOrderId(), ref.version(), data, now,
                adapter, ref.orderId());
        if (updated == 0) {
            jdbc.update("insert into vendor_order_ref (adapter, order_id, vendor_order_id, version, data, updated_at) "
                    + "values (?,?,?,?,?,?)", adapter, ref.orderId(), ref.vendorOrderId(), ref.version(), data, now);
        }
        jdbc.update("insert into order_external_id (order_id, system, external_id) select ?, ?, ? where not exists "
                + "(select 1 from order_external_id where system = ? and external_id = ?)", ref.orderId(), adapter,
                ref.vendorOrderId(), adapter, ref.vendorOrderId());
    }

    @Override
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Optional<Ref> find(String adapter, UUID orderId) {
        return jdbc.query("select * from vendor_order_ref where adapter = ? and order_id = ?", REF, adapter, orderId)
                .stream().findFirst();
    }

    @Override
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public Optional<Ref> findByVendorId(String adapter, String vendorOrderId) {
        return jdbc.query("select * from vendor_order_ref where adapter = ? and vendor_order_id = ?", REF, adapter,
                vendorOrderId).stream().findFirst();
    }
}
