package io.tributary.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.tributary.api.codec.ProduceRequestReader;
import io.tributary.api.codec.RecordCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wiring for the front: the record codec shared by REST, WebSocket and SSE, and the OpenAPI header. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    RecordCodec recordCodec(JsonMapper mapper) {
        return new RecordCodec(mapper);
    }

    @Bean
    ProduceRequestReader produceRequestReader(JsonMapper mapper) {
        return new ProduceRequestReader(mapper);
    }

    @Bean
    OpenAPI tributaryOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Tributary")
                .version("v1")
                .description("A Kafka-style event log. Create topics, produce records with POST, fetch them by "
                        + "partition and offset, or subscribe over WebSocket (/ws/v1/consume) and Server-Sent Events. "
                        + "Errors are RFC 9457 problem details with a stable `code` and a `retriable` flag.")
                .license(new License().name("Apache-2.0")));
    }
}
