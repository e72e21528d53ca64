package io.orderhub.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class ApiClientStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ApiClientStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<ApiClient> findByKeyId(String keyId) {
        return jdbc.query("select id, name, key_id, key_hash, brand_id, locations, channels, enabled from api_client "
                        + "where key_id = ?", (rs, n) -> new ApiClient(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), split(rs.getString(6)),
                        split(rs.getString(7)), rs.getBoolean(8)), keyId).stream().findFirst();
    }

    /** Creates or replaces a client with the given key (only the key's hash is written). */
    @Transactional
    public ApiClient register(String id, String name, String apiKey, String brandId, List<String> locations,
                              List<String> channels) {
        ApiKeys.Parsed key = ApiKeys.parse(apiKey).orElseThrow(() -> new IllegalArgumentException(
                "API keys look like ohk_<key id>_<secret of at least 20 characters>"));
        jdbc.update("delete from api_client where id = ?", id);
        jdbc.update("insert into api_client (id, name, key_id, key_hash, brand_id, locations, channels, enabled, "
                        + "created_at) values (?,?,?,?,?,?,?,?,?)", id, name, key.keyId(), ApiKeys.hash(key.secret()),
                brandId, String.join(",", locations), String.join(",", channels), true,
                Timestamp.from(Instant.now(clock)));
        return findByKeyId(key.keyId()).orElseThrow();
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).toList();
    }
}
