package io.orderhub.api;

import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publishes the canonical order's JSON Schema, the contract every adapter translates into. */
@RestController
public class SchemaController {

    public static final String CANONICAL_SCHEMA = "schemas/canonical-order-v1.json";

    @Operation(summary = "JSON Schema of the canonical order, version 1")
    @GetMapping(value = "/schemas/canonical-order-v1.json", produces = "application/schema+json")
    public ResponseEntity<String> canonicalOrder() throws IOException {
        String schema = new ClassPathResource(CANONICAL_SCHEMA).getContentAsString(StandardCharsets.UTF_8);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/schema+json")).body(schema);
    }
}
