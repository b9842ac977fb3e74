package io.tributary.api.rest;

/**
 * Problem details as the broker sends them, for the examples of documented error responses. Each is
 * a real response (from {@link ApiExceptionHandler}) with the topic renamed {@code orders}.
 */
public final class ProblemExamples {

    public static final String TOPIC_NOT_FOUND = "{\"type\":\"urn:tributary:error:topic-not-found\","
            + "\"title\":\"Topic not found\",\"status\":404,\"detail\":\"Topic 'orders' does not exist\","
            + "\"instance\":\"/api/v1/topics/orders\",\"code\":\"TOPIC_NOT_FOUND\",\"retriable\":false}";

    public static final String PARTITION_NOT_FOUND = "{\"type\":\"urn:tributary:error:partition-not-found\","
            + "\"title\":\"Partition not found\",\"status\":404,"
            + "\"detail\":\"Topic 'orders' has 6 partitions; there is no partition 7\","
            + "\"instance\":\"/api/v1/topics/orders/partitions/7/records\",\"code\":\"PARTITION_NOT_FOUND\","
            + "\"retriable\":false}";

    public static final String TOPIC_ALREADY_EXISTS = "{\"type\":\"urn:tributary:error:topic-already-exists\","
            + "\"title\":\"Topic already exists\",\"status\":409,\"detail\":\"Topic 'orders' already exists\","
            + "\"instance\":\"/api/v1/topics\",\"code\":\"TOPIC_ALREADY_EXISTS\",\"retriable\":false}";

    public static final String INVALID_TOPIC_NAME = "{\"type\":\"urn:tributary:error:invalid-topic-name\","
            + "\"title\":\"Invalid topic name\",\"status\":400,"
            + "\"detail\":\"Topic name may contain only ASCII letters, digits, '.', '_' and '-'\","
            + "\"instance\":\"/api/v1/topics\",\"code\":\"INVALID_TOPIC_NAME\",\"retriable\":false}";

    public static final String INVALID_PARTITIONS = "{\"type\":\"urn:tributary:error:invalid-partitions\","
            + "\"title\":\"Invalid partitions\",\"status\":400,"
            + "\"detail\":\"Topic 'orders' has 6 partitions; it can only grow, up to 10000\","
            + "\"instance\":\"/api/v1/topics/orders\",\"code\":\"INVALID_PARTITIONS\",\"retriable\":false}";

    public static final String INVALID_REPLICATION_FACTOR = "{\"type\":\"urn:tributary:error:invalid-replication-factor\","
            + "\"title\":\"Invalid replication factor\",\"status\":400,"
            + "\"detail\":\"Replication factor 2 is not between 1 and the 1 live broker(s)\","
            + "\"instance\":\"/api/v1/topics\",\"code\":\"INVALID_REPLICATION_FACTOR\",\"retriable\":false}";

    public static final String INVALID_CONFIG = "{\"type\":\"urn:tributary:error:invalid-config\","
            + "\"title\":\"Invalid config\",\"status\":400,"
            + "\"detail\":\"Topic config 'retention.ms' must be a whole number, not 'soon'\","
            + "\"instance\":\"/api/v1/topics\",\"code\":\"INVALID_CONFIG\",\"retriable\":false}";

    public static final String MISSING_FIELD = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"name: must not be null\","
            + "\"instance\":\"/api/v1/topics\",\"code\":\"INVALID_REQUEST\",\"retriable\":false}";

    public static final String BAD_PARAMETER = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"Type mismatch.: For input string: \\\"x\\\"\","
            + "\"instance\":\"/api/v1/topics/orders/partitions/0/offsets\",\"code\":\"INVALID_REQUEST\",\"retriable\":false}";

    public static final String BAD_PAGE = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"page: must be greater than or equal to 0\","
            + "\"instance\":\"/api/v1/topics\",\"code\":\"INVALID_REQUEST\",\"retriable\":false}";

    public static final String TOPIC_AUTHORIZATION_FAILED = "{\"type\":\"urn:tributary:error:topic-authorization-failed\","
            + "\"title\":\"Topic authorization failed\",\"status\":403,"
            + "\"detail\":\"Internal topic '__consumer_offsets' cannot be deleted\","
            + "\"instance\":\"/api/v1/topics/__consumer_offsets\",\"code\":\"TOPIC_AUTHORIZATION_FAILED\","
            + "\"retriable\":false}";

    public static final String BAD_ACKS = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"acks must be 0, 1 or all, not '2'\","
            + "\"instance\":\"/api/v1/topics/orders/records\",\"code\":\"INVALID_REQUEST\",\"retriable\":false}";

    public static final String MALFORMED_JSON = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"Malformed JSON: Unexpected end-of-input "
            + "within/between Array entries at line 1, column 25\",\"instance\":\"/api/v1/topics/orders/records\","
            + "\"code\":\"INVALID_REQUEST\",\"retriable\":false}";

    public static final String BAD_FORMAT = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"Format must be json, string or base64, not 'xml'\","
            + "\"instance\":\"/api/v1/topics/orders/partitions/0/records\",\"code\":\"INVALID_REQUEST\",\"retriable\":false}";

    public static final String NOT_ACCEPTABLE = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":406,\"detail\":\"Could not find acceptable representation\","
            + "\"instance\":\"/api/v1/cluster\",\"code\":\"INVALID_REQUEST\",\"retriable\":false}";

    public static final String OFFSET_OUT_OF_RANGE = "{\"type\":\"urn:tributary:error:offset-out-of-range\","
            + "\"title\":\"Offset out of range\",\"status\":416,"
            + "\"detail\":\"Offset 99 is outside the log of orders-0; valid offsets are 0 to 42\","
            + "\"instance\":\"/api/v1/topics/orders/partitions/0/records\",\"code\":\"OFFSET_OUT_OF_RANGE\","
            + "\"retriable\":false,\"logStartOffset\":0,\"logEndOffset\":42}";

    public static final String RECORD_TOO_LARGE = "{\"type\":\"urn:tributary:error:record-too-large\","
            + "\"title\":\"Record too large\",\"status\":413,\"detail\":\"A record of about 1100070 bytes exceeds "
            + "max.message.bytes (1048588) of topic 'orders'\",\"instance\":\"/api/v1/topics/orders/records\","
            + "\"code\":\"RECORD_TOO_LARGE\",\"retriable\":false}";

    public static final String REQUEST_TOO_LARGE = "{\"type\":\"urn:tributary:error:request-too-large\","
            + "\"title\":\"Request too large\",\"status\":413,\"detail\":\"The request body exceeds the size limit\","
            + "\"instance\":\"/api/v1/topics/orders/records\",\"code\":\"REQUEST_TOO_LARGE\",\"retriable\":false}";

    public static final String NOT_LEADER = "{\"type\":\"urn:tributary:error:not-leader\","
            + "\"title\":\"Not leader\",\"status\":503,\"detail\":\"Broker 2 does not lead orders-0\","
            + "\"instance\":\"/api/v1/topics/orders/records\",\"code\":\"NOT_LEADER\",\"retriable\":true}";

    public static final String BROKER_NOT_AVAILABLE = "{\"type\":\"urn:tributary:error:broker-not-available\","
            + "\"title\":\"Broker not available\",\"status\":503,"
            + "\"detail\":\"ZooKeeper failed while creating topic 'orders': ConnectionLossException\","
            + "\"instance\":\"/api/v1/topics\",\"code\":\"BROKER_NOT_AVAILABLE\",\"retriable\":true}";

    public static final String GROUPS_BROKER_NOT_AVAILABLE = "{\"type\":\"urn:tributary:error:broker-not-available\","
            + "\"title\":\"Broker not available\",\"status\":503,"
            + "\"detail\":\"Broker 2 did not list the groups it coordinates: Connection refused\","
            + "\"instance\":\"/api/v1/groups\",\"code\":\"BROKER_NOT_AVAILABLE\",\"retriable\":true}";

    private ProblemExamples() {
    }
    public static final String UNKNOWN_MEMBER_ID = "{\"type\":\"urn:tributary:error:unknown-member-id\","
            + "\"title\":\"Unknown member id\",\"status\":404,\"detail\":\"No such member of group 'billing' (it left, "
            + "expired, or its token is wrong): join again\",\"instance\":\"/api/v1/groups/billing/members/3f2a9c0d1e4b5a69/records\","
            + "\"code\":\"UNKNOWN_MEMBER_ID\",\"retriable\":false}";

    public static final String ILLEGAL_GENERATION = "{\"type\":\"urn:tributary:error:illegal-generation\","
            + "\"title\":\"Illegal generation\",\"status\":409,\"detail\":\"Generation 3 is stale: member "
            + "3f2a9c0d1e4b5a69 is in generation 4 and does not own orders-0 in 3\","
            + "\"instance\":\"/api/v1/groups/billing/members/3f2a9c0d1e4b5a69/offsets\",\"code\":\"ILLEGAL_GENERATION\","
            + "\"retriable\":false}";

    public static final String GROUP_NOT_FOUND = "{\"type\":\"urn:tributary:error:group-not-found\","
            + "\"title\":\"Group not found\",\"status\":404,\"detail\":\"Group 'billing' does not exist\","
            + "\"instance\":\"/api/v1/groups/billing\",\"code\":\"GROUP_NOT_FOUND\",\"retriable\":false}";

    public static final String GROUP_NOT_EMPTY = "{\"type\":\"urn:tributary:error:group-not-empty\","
            + "\"title\":\"Group not empty\",\"status\":409,\"detail\":\"Group 'billing' has 2 members; "
            + "their offsets can only change while it has none\",\"instance\":\"/api/v1/groups/billing/offsets\","
            + "\"code\":\"GROUP_NOT_EMPTY\",\"retriable\":false}";

    public static final String BAD_GROUP_REQUEST = "{\"type\":\"urn:tributary:error:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,"
            + "\"detail\":\"autoOffsetReset must be earliest, latest or time:<epochMs>, not 'soon'\","
            + "\"instance\":\"/api/v1/groups/billing/members\",\"code\":\"INVALID_REQUEST\",\"retriable\":false}";
}
