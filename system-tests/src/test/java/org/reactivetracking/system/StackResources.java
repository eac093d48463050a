package org.reactivetracking.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivetracking.engines.LocalEngines;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kinesis streams and DynamoDB tables of deploy/stack.json, created on the local engines as CloudFormation
 * creates them for the stack deployed with its default parameters: the same names, key schemas, attribute
 * definitions and global secondary indexes, so a service that runs on them runs on the stack's.
 */
final class StackResources {

    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");

    private final JsonNode stack;

    StackResources() {
        stack = JsonMapper.shared().readTree(Path.of(System.getProperty("service-jars.dir"), "deploy", "stack.json")
                .toFile());
    }

    /** Creates every {@code AWS::Kinesis::Stream} (one shard: the engine has no on-demand capacity to scale). */
    List<String> createStreams(LocalEngines engines) {
        List<String> names = new ArrayList<>();
        resources("AWS::Kinesis::Stream").forEach(properties -> {
            String name = resolve(properties.get("Name"));
            engines.ensureStream(name, 1);
            names.add(name);
        });
        return names;
    }

    /** Creates every {@code AWS::DynamoDB::Table} and waits until each is active. */
    List<String> createTables(DynamoDbClient dynamo) {
        List<String> names = new ArrayList<>();
        resources("AWS::DynamoDB::Table").forEach(properties -> {
            String name = resolve(properties.get("TableName"));
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            properties.path("GlobalSecondaryIndexes").forEach(index -> indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.get("IndexName").stringValue()).keySchema(keySchema(index.get("KeySchema")))
                    .projection(Projection.builder()
                            .projectionType(index.get("Projection").get("ProjectionType").stringValue())
                            .nonKeyAttributes(strings(index.get("Projection").path("NonKeyAttributes"))).build())
                    .build()));
            dynamo.createTable(request -> request.tableName(name)
                    .billingMode(BillingMode.fromValue(properties.get("BillingMode").stringValue()))
                    .keySchema(keySchema(properties.get("KeySchema")))
                    .attributeDefinitions(list(properties.get("AttributeDefinitions"), attribute -> AttributeDefinition
                            .builder().attributeName(attribute.get("AttributeName").stringValue())
                            .attributeType(attribute.get("AttributeType").stringValue()).build()))
                    .globalSecondaryIndexes(indexes.isEmpty() ? null : indexes));
            dynamo.waiter().waitUntilTableExists(request -> request.tableName(name));
            names.add(name);
        });
        return names;
    }

    private List<JsonNode> resources(String type) {
        List<JsonNode> found = new ArrayList<>();
        stack.get("Resources").forEach(resource -> {
            if (resource.get("Type").stringValue().equals(type)) {
                found.add(resource.get("Properties"));
            }
        });
        return found;
    }

    /** A name, given as a string or as {@code Fn::Sub} over the stack's parameters at their defaults. */
    private String resolve(JsonNode name) {
        if (name.isString()) {
            return name.stringValue();
        }
        Matcher reference = SUB.matcher(name.get("Fn::Sub").stringValue());
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            JsonNode parameter = stack.get("Parameters").path(reference.group(1)).path("Default");
            if (!parameter.isString()) {
                throw new IllegalArgumentException(name + ": ${" + reference.group(1) + "} is no parameter with a"
                        + " default");
            }
            reference.appendReplacement(resolved, Matcher.quoteReplacement(parameter.stringValue()));
        }
        return reference.appendTail(resolved).toString();
    }

    private static List<KeySchemaElement> keySchema(JsonNode elements) {
        return list(elements, element -> KeySchemaElement.builder()
                .attributeName(element.get("AttributeName").stringValue())
                .keyType(element.get("KeyType").stringValue()).build());
    }

    private static List<String> strings(JsonNode values) {
        return values.isMissingNode() ? null : list(values, JsonNode::stringValue);
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
        List<T> elements = new ArrayList<>();
        array.forEach(item -> elements.add(element.apply(item)));
        return elements;
    }
}
