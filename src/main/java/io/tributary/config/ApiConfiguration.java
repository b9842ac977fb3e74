package io.tributary.config;

import io.tributary.api.codec.RecordCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wiring for the front: the record codec shared by REST, WebSocket and SSE. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    RecordCodec recordCodec(JsonMapper mapper) {
        return new RecordCodec(mapper);
    }
}
