package io.tributary.config;

import io.swagger.v3.oas.models.media.JsonSchema;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * Schemas the OpenAPI generator cannot infer. Record keys and values are any JSON ({@link JsonNode});
 * without this they are documented as the properties of Jackson's node class.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiSchemaConfiguration {

    static {
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new JsonSchema()
                .types(new LinkedHashSet<>(List.of("object", "array", "string", "number", "boolean", "null")))
                .description("Any JSON value"));
    }
}
