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

    /** The WebSocket endpoints, which are not OpenAPI operations. */
    private static final String WEB_SOCKETS = """


            ## WebSocket endpoints

            **`ws://host:8080/ws/v1/consume`** `?topics=a,b` (or `topic=a&partition=0`) `&from=earliest|latest|<offset>|time:<epochMs>` \
            (default latest) `&keyFormat=&valueFormat=` (json, string, base64; default string, json) `&flow=push|credit`. \
            Server frames: `{"type":"records","records":[{"topic","partition","offset","timestamp","key","value","headers"}]}`, \
            pushed as records become committed (never above the high watermark), several per frame under load. \
            Client frames: `{"type":"seek","topic","partition","offset"}` (or `"from"`), `{"type":"pause"}` and \
            `{"type":"resume"}` (optionally with `topic` and `partition`), and with `flow=credit` \
            `{"type":"credit","messages":N,"bytes":B}` (nothing is sent before the first grant).

            **`ws://host:8080/ws/v1/produce`** `?topic=&acks=0|1|all&keyFormat=&valueFormat=`. Client frames \
            `{"id","records":[...]}` (records as in the POST body; optional `topic` and `acks` per frame), sent \
            without waiting if you like; replies in the same order: `{"type":"ack","id","offsets":[{"partition","offset","timestamp"}]}` \
            or `{"type":"error","id","code","retriable","fatal","detail"}`. A bad frame writes nothing and the socket stays open; \
            a frame that is not JSON ends it (close 1003).

            Errors on either socket: `{"type":"error","code","retriable","fatal","detail"}` with the codes of the \
            problem details; `fatal: true` is followed by a close: 1008 bad input, 1003 not JSON text, 1009 too large, \
            1013 retriable server condition, 1011 unexpected.""";

    @Bean
    OpenAPI tributaryOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Tributary")
                .version("v1")
                .description("A Kafka-style event log. Create topics, produce records with POST, fetch them by "
                        + "partition and offset, or subscribe over WebSocket (/ws/v1/consume) and Server-Sent Events. "
                        + "Errors are RFC 9457 problem details with a stable `code` and a `retriable` flag."
                        + WEB_SOCKETS)
                .license(new License().name("Apache-2.0")));
    }
}
