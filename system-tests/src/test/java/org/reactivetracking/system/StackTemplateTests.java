package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivetracking.system.SecurityGroupRules.Rule;
import org.reactivetracking.system.ServiceMetrics.Metric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/stack.json, checked against the CloudFormation resource specification (npm {@code @aws-cdk/cfnspec},
 * installed on first use like the engines) and against what we promise of it: HTTPS with HTTP redirected, a WAF in
 * front of the ALB, alarms on the exact metrics the services send, least-privilege roles and security groups, the
 * admin API not routed publicly, no secret in clear, retention and snapshots, and names that line up with the task
 * definitions. Conditional parts are checked as deployed, with and without the parameters that turn them on.
 */
class StackTemplateTests {

    private static final Path ROOT = Path.of(System.getProperty("service-jars.dir"));
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/"
            + "0b6c1c84-3b7e-4a5e-9d1e-2f3a4b5c6d7e";
    /**
     * The common rule set's rules that inspect query arguments and would refuse a URL in one (a click's
     * {@code ?u=https://...}), with the label each adds (AWS WAF developer guide, "Core rule set (CRS)").
     */
    private static final Map<String, String> QUERY_RULE_LABELS = Map.of(
            "SizeRestrictions_QUERYSTRING", "awswaf:managed:aws:core-rule-set:SizeRestrictions_QueryString",
            "GenericRFI_QUERYARGUMENTS", "awswaf:managed:aws:core-rule-set:GenericRFI_QueryArguments",
            "CrossSiteScripting_QUERYARGUMENTS", "awswaf:managed:aws:core-rule-set:CrossSiteScripting_QueryArguments",
            "RestrictedExtensions_QUERYARGUMENTS",
            "awswaf:managed:aws:core-rule-set:RestrictedExtensions_QueryArguments");
    private static final Pattern INSIGHTS_SUM = Pattern.compile(
            "SELECT SUM\\(\"([^\"]+)\"\\) FROM SCHEMA\\(\"([^\"]+)\", ([^)]+)\\) WHERE (.+)");

    private static JsonNode stack;
    private static ResourceSpecification spec;

    @BeforeAll
    static void load() throws Exception {
        stack = StackTemplate.read();
        spec = ResourceSpecification.load();
    }

    @Test
    void usesOnlyResourceTypesPropertiesAndAttributesOfTheSpecification() {
        assumeTrue(spec != null, "the CloudFormation specification could not be installed with npm");
        assertThat(spec.problems(stack)).isEmpty();
    }

    @Test
    void refersOnlyToWhatItDeclaresAndHasNoDependencyCycle() {
        Set<String> declared = new HashSet<>();
        stack.get("Resources").properties().forEach(entry -> declared.add(entry.getKey()));
        stack.get("Parameters").properties().forEach(entry -> declared.add(entry.getKey()));
        List<String> references = new ArrayList<>(StackTemplate.references(stack.get("Resources")));
        references.addAll(StackTemplate.references(stack.get("Outputs")));
        assertThat(references).isNotEmpty()
                .allSatisfy(name -> assertThat(declared.contains(name) || name.startsWith("AWS::")).as(name).isTrue());

        Set<String> conditions = new HashSet<>();
        stack.get("Conditions").properties().forEach(entry -> conditions.add(entry.getKey()));
        List<String> named = new ArrayList<>(StackTemplate.conditionsNamed(stack.get("Resources")));
        named.addAll(StackTemplate.conditionsNamed(stack.get("Outputs")));
        named.addAll(StackTemplate.conditionsNamed(stack.get("Conditions")));
        assertThat(conditions).containsAll(named);

        // CloudFormation refuses a template whose resources depend on each other in a circle
        Set<String> resources = new HashSet<>();
        stack.get("Resources").properties().forEach(entry -> resources.add(entry.getKey()));
        Map<String, Set<String>> dependsOn = new HashMap<>();
        stack.get("Resources").properties().forEach(entry -> {
            Set<String> on = new HashSet<>(StackTemplate.references(entry.getValue()));
            JsonNode explicit = entry.getValue().path("DependsOn");
            if (explicit.isString()) {
                on.add(explicit.stringValue());
            }
            explicit.forEach(name -> on.add(name.stringValue()));
            on.retainAll(resources);
            dependsOn.put(entry.getKey(), on);
        });
        Map<String, Boolean> visited = new HashMap<>();
        for (String resource : resources) {
            assertThat(cycleThrough(resource, dependsOn, visited, new ArrayList<>())).as("dependency cycle").isEmpty();
        }
    }

    @Test
    void grantsEachServiceOnlyWhatItNeeds() {
        for (String role : List.of("TrackingTaskRole", "ConsumerTaskRole", "UpdaterTaskRole", "ExecutionRole")) {
            for (JsonNode policy : stack.get("Resources").get(role).get("Properties").path("Policies")) {
                for (JsonNode statement : policy.get("PolicyDocument").get("Statement")) {
                    List<String> actions = new ArrayList<>();
                    statement.get("Action").forEach(action -> actions.add(action.stringValue()));
                    assertThat(actions).as(role).noneMatch(action -> action.contains("*"));
                    boolean onData = actions.stream().anyMatch(action -> action.startsWith("kinesis:")
                            || action.startsWith("dynamodb:") || action.startsWith("secretsmanager:"));
                    if (onData) {
                        assertThat(statement.get("Resource").isString()).as(role + " " + actions + " on *").isFalse();
                    }
                }
            }
        }
        String tracking = stack.get("Resources").get("TrackingTaskRole").toString();
        assertThat(tracking).contains("kinesis:PutRecords").doesNotContain("dynamodb:").doesNotContain("GetRecords");
        String updater = stack.get("Resources").get("UpdaterTaskRole").toString();
        assertThat(updater).doesNotContain("EventStream").doesNotContain("EventsTable").doesNotContain("PutRecord");
        // each consumer's KCL: its own lease table and the table's owner index, which the stack creates
        String consumer = stack.get("Resources").get("ConsumerTaskRole").toString();
        assertThat(consumer).contains("EventStoreLeases")
                .contains("${EventStoreLeases.Arn}/index/LeaseOwnerToLeaseKeyIndex").doesNotContain("UpdaterLeases");
        assertThat(updater).contains("UpdaterLeases")
                .contains("${UpdaterLeases.Arn}/index/LeaseOwnerToLeaseKeyIndex").doesNotContain("EventStoreLeases");
        assertThat(consumer + updater).doesNotContain("dynamodb:CreateTable").doesNotContain("dynamodb:UpdateTable");
        for (String leases : List.of("EventStoreLeases", "UpdaterLeases")) {
            JsonNode table = stack.get("Resources").get(leases).get("Properties");
            assertThat(table.get("KeySchema").toString()).contains("leaseKey");
            assertThat(table.get("GlobalSecondaryIndexes").get(0).get("IndexName").stringValue())
                    .isEqualTo("LeaseOwnerToLeaseKeyIndex");
        }
    }

    @Test
    void routesOnlyThePublicApiAndKeepsSecretsOutOfTheTemplate() {
        // the same routing over HTTP without a certificate and over HTTPS with one
        for (StackTemplate deployed : List.of(StackTemplate.deployedWith(Map.of()),
                StackTemplate.deployedWith(Map.of("CertificateArn", CERTIFICATE)))) {
            assertThat(deployed.ofType("AWS::ElasticLoadBalancingV2::ListenerRule")).containsExactly("PublicApiRule");
            JsonNode rule = deployed.properties("PublicApiRule");
            JsonNode patterns = rule.get("Conditions").get(0).get("PathPatternConfig").get("Values");
            assertThat(patterns.toString()).isEqualTo(
                    "[\"/event/*\",\"/pixel/*\",\"/click/*\",\"/openapi.yaml\",\"/health/check\"]");
            // an ALB rule takes at most 5 condition values
            assertThat(rule.get("Conditions")).hasSize(1);
            assertThat(patterns).hasSizeLessThanOrEqualTo(5);
            List<String> globs = new ArrayList<>();
            patterns.forEach(pattern -> globs.add(pattern.stringValue()));
            // the public routes reach the service (the click with its query: ALB path patterns ignore the query) ...
            for (String path : List.of("/event/212313", "/pixel/212313.gif", "/click/212313", "/openapi.yaml",
                    "/health/check")) {
                assertThat(globs).as(path).anyMatch(glob -> albPathMatches(glob, path));
            }
            // ... the admin API and the actuator never do, whatever the spelling the ALB sees
            for (String path : List.of("/cache/fill", "/cache/purge", "/programs/212313", "/actuator/health",
                    "/actuator/prometheus", "/Event/212313", "/openapi.yml", "/pixel", "/click")) {
                assertThat(globs).as(path).noneMatch(glob -> albPathMatches(glob, path));
            }
            assertThat(rule.get("Actions").toString())
                    .isEqualTo("[{\"Type\":\"forward\",\"TargetGroupArn\":{\"Ref\":\"TrackingTargetGroup\"}}]");
            JsonNode listener = deployed.properties(rule.get("ListenerArn").get("Ref").stringValue());
            assertThat(listener.get("DefaultActions")).hasSize(1);
            assertThat(listener.get("DefaultActions").get(0).get("Type").stringValue()).isEqualTo("fixed-response");
            assertThat(listener.get("DefaultActions").get(0).get("FixedResponseConfig").get("StatusCode").stringValue())
                    .isEqualTo("404");
        }
        JsonNode resources = stack.get("Resources");
        assertThat(resources.get("TrackingTargetGroup").get("Properties").get("HealthCheckPath").stringValue())
                .isEqualTo("/health/check");
        JsonNode redis = resources.get("Redis").get("Properties");
        assertThat(redis.get("AuthToken").toString()).contains("resolve:secretsmanager");
        assertThat(redis.get("TransitEncryptionEnabled").booleanValue()).isTrue();
        assertThat(redis.get("MultiAZEnabled").booleanValue()).isTrue();
        resources.properties().stream().filter(entry -> entry.getValue().get("Type").stringValue()
                .equals("AWS::DynamoDB::Table")).forEach(table -> {
                    JsonNode properties = table.getValue().get("Properties");
                    assertThat(properties.get("BillingMode").stringValue()).isEqualTo("PAY_PER_REQUEST");
                    assertThat(properties.get("PointInTimeRecoverySpecification").get("PointInTimeRecoveryEnabled")
                            .booleanValue()).as(table.getKey()).isTrue();
                });
        // dead letters are kept for a while, not forever: the consumer stamps expiresAt
        JsonNode deadLetterTtl = resources.get("DeadLetterTable").get("Properties").get("TimeToLiveSpecification");
        assertThat(deadLetterTtl.get("AttributeName").stringValue()).isEqualTo("expiresAt");
        assertThat(deadLetterTtl.get("Enabled").booleanValue()).isTrue();
    }

    @Test
    void servesHttpsWithTheCertificateAndRedirectsHttpToIt() {
        StackTemplate https = StackTemplate.deployedWith(Map.of("CertificateArn", CERTIFICATE));
        JsonNode listener = https.properties("HttpsListener");
        assertThat(listener.get("Port").intValue()).isEqualTo(443);
        assertThat(listener.get("Protocol").stringValue()).isEqualTo("HTTPS");
        assertThat(listener.get("Certificates").toString()).isEqualTo("[{\"CertificateArn\":{\"Ref\":\"CertificateArn\"}}]");
        assertThat(https.parameter(listener.get("SslPolicy").get("Ref").stringValue()))
                .startsWith("ELBSecurityPolicy-TLS13-1-2-");
        assertThat(https.properties("PublicApiRule").get("ListenerArn").toString())
                .isEqualTo("{\"Ref\":\"HttpsListener\"}");
        JsonNode http = https.properties("Listener");
        assertThat(http.get("Port").intValue()).isEqualTo(80);
        assertThat(http.get("DefaultActions")).hasSize(1);
        assertThat(http.get("DefaultActions").get(0).get("Type").stringValue()).isEqualTo("redirect");
        // the same host, path and query, permanently, over HTTPS
        assertThat(http.get("DefaultActions").get(0).get("RedirectConfig").toString()).isEqualTo("{\"Protocol\":"
                + "\"HTTPS\",\"Port\":\"443\",\"Host\":\"#{host}\",\"Path\":\"/#{path}\",\"Query\":\"#{query}\","
                + "\"StatusCode\":\"HTTP_301\"}");
        SecurityGroupRules rules = new SecurityGroupRules(https);
        assertThat(rules.inbound("LoadBalancerSecurityGroup")).extracting(Rule::fromPort, Rule::peer)
                .containsExactlyInAnyOrder(tuple(80, "0.0.0.0/0"),
                        tuple(443, "0.0.0.0/0"));
        assertThat(https.outputs().get("LoadBalancerUrl").get("Value").toString()).contains("https://");

        // without a certificate: HTTP only, nothing listens on 443
        StackTemplate plain = StackTemplate.deployedWith(Map.of());
        assertThat(plain.parameter("CertificateArn")).isEmpty();
        assertThat(plain.ofType("AWS::ElasticLoadBalancingV2::Listener")).containsExactly("Listener");
        assertThat(new SecurityGroupRules(plain).inbound("LoadBalancerSecurityGroup")).extracting(Rule::fromPort)
                .containsExactly(80);
        assertThat(plain.outputs().get("LoadBalancerUrl").get("Value").toString()).contains("http://");
    }

    @Test
    void putsAWafWithARateLimitAndTheCommonRuleSetInFrontOfTheLoadBalancer() {
        StackTemplate deployed = StackTemplate.deployedWith(Map.of());
        JsonNode acl = deployed.properties("WebAcl");
        assertThat(acl.get("Scope").stringValue()).isEqualTo("REGIONAL");
        assertThat(acl.get("DefaultAction").has("Allow")).isTrue();
        assertVisible("WebAcl", acl.get("VisibilityConfig"));
        assertThat(deployed.ofType("AWS::WAFv2::WebACLAssociation")).containsExactly("WebAclAssociation");
        assertThat(deployed.properties("WebAclAssociation").toString())
                .isEqualTo("{\"ResourceArn\":{\"Ref\":\"LoadBalancer\"},\"WebACLArn\":{\"Fn::GetAtt\":[\"WebAcl\",\"Arn\"]}}");

        Map<String, JsonNode> rules = new LinkedHashMap<>();
        acl.get("Rules").forEach(rule -> {
            assertVisible(rule.get("Name").stringValue(), rule.get("VisibilityConfig"));
            rules.put(rule.get("Statement").propertyNames().iterator().next(), rule);
        });
        assertThat(rules).containsOnlyKeys("RateBasedStatement", "ManagedRuleGroupStatement", "AndStatement");

        JsonNode rate = rules.get("RateBasedStatement");
        assertThat(rate.get("Statement").get("RateBasedStatement").toString())
                .isEqualTo("{\"AggregateKeyType\":\"IP\",\"Limit\":{\"Ref\":\"RateLimitPerIp\"}}");
        assertThat(Integer.parseInt(deployed.parameter("RateLimitPerIp"))).isGreaterThanOrEqualTo(100);
        assertThat(rate.get("Action").get("Block").get("CustomResponse").get("ResponseCode").intValue()).isEqualTo(429);

        JsonNode common = rules.get("ManagedRuleGroupStatement");
        JsonNode group = common.get("Statement").get("ManagedRuleGroupStatement");
        assertThat(group.get("VendorName").stringValue()).isEqualTo("AWS");
        assertThat(group.get("Name").stringValue()).isEqualTo("AWSManagedRulesCommonRuleSet");
        assertThat(common.get("OverrideAction").has("None")).as("the group's own actions apply").isTrue();
        Map<String, String> overrides = new HashMap<>();
        group.get("RuleActionOverrides").forEach(override -> overrides.put(override.get("Name").stringValue(),
                override.get("ActionToUse").propertyNames().iterator().next()));
        // only the rules that would refuse a URL in a query argument count instead of blocking ...
        assertThat(overrides).containsOnlyKeys(QUERY_RULE_LABELS.keySet());
        assertThat(overrides.values()).containsOnly("Count");

        // ... and the next rule blocks what they found everywhere but under /click/
        JsonNode reblock = rules.get("AndStatement");
        JsonNode both = reblock.get("Statement").get("AndStatement").get("Statements");
        List<String> labels = new ArrayList<>();
        both.get(0).get("OrStatement").get("Statements").forEach(label -> {
            assertThat(label.get("LabelMatchStatement").get("Scope").stringValue()).isEqualTo("LABEL");
            labels.add(label.get("LabelMatchStatement").get("Key").stringValue());
        });
        assertThat(labels).containsExactlyInAnyOrderElementsOf(QUERY_RULE_LABELS.values());
        JsonNode except = both.get(1).get("NotStatement").get("Statement").get("ByteMatchStatement");
        assertThat(except.get("FieldToMatch").has("UriPath")).isTrue();
        assertThat(except.get("PositionalConstraint").stringValue()).isEqualTo("STARTS_WITH");
        assertThat(except.get("SearchString").stringValue()).isEqualTo("/click/");
        assertThat(reblock.get("Action").has("Block")).isTrue();

        // the rate limit first, then the rule set, then what it counted
        assertThat(rate.get("Priority").intValue()).isLessThan(common.get("Priority").intValue());
        assertThat(common.get("Priority").intValue()).isLessThan(reblock.get("Priority").intValue());
    }

    @Test
    void alarmsOnTheMetricsTheServicesSendUnderTheNamesCloudWatchReceives() throws Exception {
        StackTemplate deployed = StackTemplate.deployedWith(Map.of("DeployServices", "true"));
        String topic = "{\"Ref\":\"AlarmTopic\"}";
        ServiceMetrics consumer = metricsOf("kinesis-consumer", deployed);
        ServiceMetrics updater = metricsOf("redis-updater", deployed);
        // gauges: EventBatchHandler, UpdateBatchHandler and the BatchListener of each; counters: EventWriter,
        // UpdateBatchHandler
        assertAlarm(deployed, "EventStoreLagAlarm", consumer.gauge("eventstore.lag.ms"), "Maximum");
        assertAlarm(deployed, "ProgramsLagAlarm", updater.gauge("programs.lag.ms"), "Maximum");
        assertAlarm(deployed, "EventStoreStuckAlarm", consumer.gauge("eventstore.batch.in.progress.seconds"),
                "Maximum");
        assertAlarm(deployed, "ProgramsStuckAlarm", updater.gauge("programs.batch.in.progress.seconds"), "Maximum");
        assertAlarm(deployed, "EventStoreDeadLettersAlarm", consumer.counter("eventstore.dead.letters"), "Sum");
        assertAlarm(deployed, "ProgramsDeadLettersAlarm", updater.counter("programs.dead.letters"), "Sum");

        // every rejection, whatever its stream and reason: one query over the counter's exact dimension set
        Metric rejected = metricsOf("tracking-service", deployed).counter("tracking.publisher.records",
                "stream", "any", "outcome", "rejected", "reason", "any");
        JsonNode query = deployed.properties("PublisherRejectionsAlarm").get("Metrics").get(0);
        Matcher sum = INSIGHTS_SUM.matcher(query.get("Expression").get("Fn::Sub").stringValue()
                .replace("${Environment}", deployed.parameter("Environment")));
        assertThat(sum.matches()).as(query.toString()).isTrue();
        assertThat(sum.group(1)).isEqualTo(rejected.name());
        assertThat(sum.group(2)).isEqualTo(rejected.namespace());
        assertThat(sum.group(3).replace("\"", "").split(", ")).containsExactlyInAnyOrderElementsOf(
                rejected.dimensions().keySet());
        Map<String, String> where = new TreeMap<>();
        for (String condition : sum.group(4).split(" AND ")) {
            String[] sides = condition.split(" = ");
            where.put(sides[0].replace("\"", ""), sides[1].replace("'", ""));
        }
        assertThat(where).isEqualTo(Map.of("service", rejected.dimensions().get("service"), "environment",
                rejected.dimensions().get("environment"), "outcome", "rejected"));

        // a consumer that reads nothing: its stream's iterator age, or no GetRecords at all
        for (String stream : List.of("EventStream", "UpdateStream")) {
            JsonNode alarm = deployed.properties(stream + "IteratorAgeAlarm");
            assertThat(alarm.get("Namespace").stringValue()).isEqualTo("AWS/Kinesis");
            assertThat(alarm.get("MetricName").stringValue()).isEqualTo("GetRecords.IteratorAgeMilliseconds");
            assertThat(alarm.get("Dimensions").toString())
                    .isEqualTo("[{\"Name\":\"StreamName\",\"Value\":{\"Ref\":\"" + stream + "\"}}]");
            assertThat(alarm.get("Statistic").stringValue()).isEqualTo("Maximum");
            assertThat(alarm.get("TreatMissingData").stringValue()).isEqualTo("breaching");
        }

        // 5xx from the tasks (per target group) and from the ALB itself, each against the requests
        String loadBalancer = "{\"Name\":\"LoadBalancer\",\"Value\":{\"Fn::GetAtt\":[\"LoadBalancer\","
                + "\"LoadBalancerFullName\"]}}";
        String targetGroup = "{\"Name\":\"TargetGroup\",\"Value\":{\"Fn::GetAtt\":[\"TrackingTargetGroup\","
                + "\"TargetGroupFullName\"]}}";
        Map<String, String> targets = loadBalancerMetrics(deployed.properties("TrackingServerErrorRateAlarm"));
        assertThat(targets).containsEntry("errors", "HTTPCode_Target_5XX_Count [" + loadBalancer + "," + targetGroup
                + "]").containsEntry("requests", "RequestCount [" + loadBalancer + "," + targetGroup + "]");
        Map<String, String> balancer = loadBalancerMetrics(deployed.properties("LoadBalancerServerErrorRateAlarm"));
        assertThat(balancer).containsEntry("errors", "HTTPCode_ELB_5XX_Count [" + loadBalancer + "]")
                .containsEntry("requests", "RequestCount [" + loadBalancer + "," + targetGroup + "]");

        List<String> alarms = deployed.ofType("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSize(11).allSatisfy(alarm -> {
            assertThat(deployed.properties(alarm).get("AlarmActions").toString()).as(alarm).isEqualTo("[" + topic + "]");
            assertThat(deployed.properties(alarm).get("OKActions").toString()).as(alarm).isEqualTo("[" + topic + "]");
        });
        // alarms come with the services: before them, a stream nobody reads would already alarm
        assertThat(StackTemplate.deployedWith(Map.of()).ofType("AWS::CloudWatch::Alarm")).isEmpty();
        StackTemplate ownTopic = StackTemplate.deployedWith(Map.of("DeployServices", "true", "AlarmTopicArn",
                "arn:aws:sns:eu-west-1:123456789012:on-call", "AlarmEmail", "ops@example.com"));
        assertThat(ownTopic.ofType("AWS::SNS::Topic")).isEmpty();
        assertThat(ownTopic.properties("EventStoreLagAlarm").get("AlarmActions").toString())
                .isEqualTo("[{\"Ref\":\"AlarmTopicArn\"}]");
        assertThat(ownTopic.properties("AlarmEmailSubscription").get("TopicArn").toString())
                .isEqualTo("{\"Ref\":\"AlarmTopicArn\"}");
    }

    @Test
    void expiresEventsOnlyWhenATimeToLiveAttributeIsGiven() {
        assertThat(StackTemplate.deployedWith(Map.of()).properties("EventsTable").has("TimeToLiveSpecification"))
                .isFalse();
        StackTemplate expiring = StackTemplate.deployedWith(Map.of("EventsTimeToLiveAttribute", "expiresAt"));
        JsonNode ttl = expiring.properties("EventsTable").get("TimeToLiveSpecification");
        assertThat(expiring.parameter(ttl.get("AttributeName").get("Ref").stringValue())).isEqualTo("expiresAt");
        assertThat(ttl.get("Enabled").booleanValue()).isTrue();
    }

    @Test
    void snapshotsRedisDailyAndBeforeItIsDeletedOrReplaced() {
        JsonNode redis = stack.get("Resources").get("Redis");
        // FinalSnapshotIdentifier is no property of AWS::ElastiCache::ReplicationGroup: the policy takes it
        assertThat(redis.get("DeletionPolicy").stringValue()).isEqualTo("Snapshot");
        assertThat(redis.get("UpdateReplacePolicy").stringValue()).isEqualTo("Snapshot");
        StackTemplate deployed = StackTemplate.deployedWith(Map.of());
        JsonNode properties = deployed.properties("Redis");
        assertThat(Integer.parseInt(parameterOf(deployed, properties.get("SnapshotRetentionLimit"))))
                .isBetween(1, 35);
        String[] snapshot = parameterOf(deployed, properties.get("SnapshotWindow")).split("-");
        String[] maintenance = parameterOf(deployed, properties.get("PreferredMaintenanceWindow")).split("-");
        LocalTime snapshotStart = LocalTime.parse(snapshot[0]);
        LocalTime snapshotEnd = LocalTime.parse(snapshot[1]);
        LocalTime maintenanceStart = LocalTime.parse(maintenance[0].substring(4));
        LocalTime maintenanceEnd = LocalTime.parse(maintenance[1].substring(4));
        // ElastiCache wants at least an hour, not overlapping the maintenance window on any day
        assertThat(snapshotStart.plusMinutes(60)).isBeforeOrEqualTo(snapshotEnd);
        assertThat(snapshotEnd.isBefore(maintenanceStart) || snapshotStart.isAfter(maintenanceEnd)).isTrue();
    }

    @Test
    void givesEachServiceItsOwnSecurityGroupAndTheConsumerNoPathToRedis() {
        StackTemplate deployed = StackTemplate.deployedWith(Map.of("DeployServices", "true", "CertificateArn",
                CERTIFICATE));
        Map<String, String> groups = Map.of("TrackingService", "TrackingSecurityGroup", "ConsumerService",
                "ConsumerSecurityGroup", "UpdaterService", "UpdaterSecurityGroup");
        groups.forEach((service, group) -> {
            JsonNode network = deployed.properties(service).get("NetworkConfiguration").get("AwsvpcConfiguration");
            assertThat(network.get("SecurityGroups")).hasSize(1);
            assertThat(SecurityGroupRules.group(network.get("SecurityGroups").get(0))).as(service).isEqualTo(group);
        });
        int trackingPort = TaskDefinition.load(ROOT.resolve("deploy/task-definitions/tracking-service.json"))
                .containerPorts().get(0);
        assertThat(deployed.properties("TrackingTargetGroup").get("Port").intValue()).isEqualTo(trackingPort);
        SecurityGroupRules rules = new SecurityGroupRules(deployed);

        // only the ALB reaches the tracking service, on its port; the ALB reaches nothing else
        assertThat(rules.inbound("TrackingSecurityGroup")).extracting(Rule::peer, Rule::fromPort, Rule::toPort)
                .containsExactly(tuple("LoadBalancerSecurityGroup", trackingPort,
                        trackingPort));
        assertThat(rules.outbound("LoadBalancerSecurityGroup")).extracting(Rule::peer, Rule::fromPort, Rule::toPort)
                .containsExactly(tuple("TrackingSecurityGroup", trackingPort,
                        trackingPort));
        // the consumers take nothing in: their health checks run inside the task
        assertThat(rules.inbound("ConsumerSecurityGroup")).isEmpty();
        assertThat(rules.inbound("UpdaterSecurityGroup")).isEmpty();

        // Redis: the tracking service and the redis-updater, both ways; the consumer neither way
        assertThat(rules.inbound("RedisSecurityGroup")).extracting(Rule::peer)
                .containsExactlyInAnyOrder("TrackingSecurityGroup", "UpdaterSecurityGroup");
        assertThat(rules.inbound("RedisSecurityGroup")).allMatch(rule -> rule.allows(6379) && !rule.allows(6380));
        for (String group : List.of("TrackingSecurityGroup", "UpdaterSecurityGroup")) {
            assertThat(rules.outbound(group)).as(group)
                    .anyMatch(rule -> rule.peer().equals("RedisSecurityGroup") && rule.allows(6379));
        }
        assertThat(rules.outbound("ConsumerSecurityGroup")).isNotEmpty()
                .noneMatch(rule -> rule.allows(6379) || rule.peer().equals("RedisSecurityGroup"));
    }

    @Test
    void namesWhatTheTaskDefinitionsExpect() throws IOException {
        String template = stack.toString();
        for (String service : List.of("tracking-service", "kinesis-consumer", "redis-updater")) {
            JsonNode task = JSON.readTree(ROOT.resolve("deploy/task-definitions/" + service + ".json").toFile());
            JsonNode container = task.get("containerDefinitions").get(0);
            assertThat(template).contains("${Name}-" + service).contains("/${Name}/" + service);
            for (JsonNode variable : container.get("environment")) {
                String name = variable.get("name").stringValue();
                String value = variable.get("value").stringValue();
                if (name.endsWith("_STREAM") || name.endsWith("_TABLE")) {
                    assertThat(template).as(service + " " + name)
                            .contains("${Name}-" + value.substring("reactive-tracking-".length()));
                }
            }
            for (JsonNode secret : container.path("secrets")) {
                String secretName = secret.get("valueFrom").stringValue().replaceAll(".*:secret:reactive-tracking/", "");
                assertThat(template).as(service + " secret").contains("${Name}/" + secretName);
            }
        }
    }

    /** The metrics of a service run from its task definition with the stack's {@code Environment}. */
    private static ServiceMetrics metricsOf(String service, StackTemplate deployed) throws IOException {
        Map<String, String> placeholders = new HashMap<>(TaskDefinition.TEST_PLACEHOLDERS);
        placeholders.put("ENVIRONMENT", deployed.parameter("Environment"));
        Map<String, String> environment = TaskDefinition.load(ROOT.resolve("deploy/task-definitions/" + service
                + ".json")).environment(Map.of(), placeholders, TaskDefinition.TEST_SECRETS);
        return ServiceMetrics.of(service, environment.get("MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE"),
                environment.get("ENVIRONMENT"));
    }

    private static void assertAlarm(StackTemplate deployed, String alarm, Metric metric, String statistic) {
        JsonNode properties = deployed.properties(alarm);
        assertThat(properties.get("Namespace").stringValue()).as(alarm).isEqualTo(metric.namespace());
        assertThat(properties.get("MetricName").stringValue()).as(alarm).isEqualTo(metric.name());
        Map<String, String> dimensions = new TreeMap<>();
        properties.get("Dimensions").forEach(dimension -> dimensions.put(dimension.get("Name").stringValue(),
                parameterOf(deployed, dimension.get("Value"))));
        assertThat(dimensions).as(alarm).isEqualTo(metric.dimensions());
        assertThat(properties.get("Statistic").stringValue()).as(alarm).isEqualTo(statistic);
    }

    /** The metric queries of an alarm on ALB metrics: id to "name [dimensions]". */
    private static Map<String, String> loadBalancerMetrics(JsonNode alarm) {
        Map<String, String> metrics = new HashMap<>();
        alarm.get("Metrics").forEach(query -> {
            if (query.has("MetricStat")) {
                JsonNode metric = query.get("MetricStat").get("Metric");
                assertThat(metric.get("Namespace").stringValue()).isEqualTo("AWS/ApplicationELB");
                assertThat(query.get("MetricStat").get("Stat").stringValue()).isEqualTo("Sum");
                metrics.put(query.get("Id").stringValue(), metric.get("MetricName").stringValue() + " "
                        + metric.get("Dimensions"));
            }
            else {
                assertThat(query.get("ReturnData").booleanValue()).isTrue();
                assertThat(query.get("Expression").stringValue()).contains("errors").contains("requests");
            }
        });
        return metrics;
    }

    /** A literal as is; a {@code Ref} to a parameter as the parameter's value. */
    private static String parameterOf(StackTemplate deployed, JsonNode value) {
        return value.has("Ref") ? deployed.parameter(value.get("Ref").stringValue()) : value.asString();
    }

    /** An ALB path pattern: case-sensitive, {@code *} any characters, {@code ?} exactly one. */
    private static boolean albPathMatches(String glob, String path) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return path.matches(regex.toString());
    }

    private static void assertVisible(String what, JsonNode visibility) {
        assertThat(visibility.get("SampledRequestsEnabled").booleanValue()).as(what).isTrue();
        assertThat(visibility.get("CloudWatchMetricsEnabled").booleanValue()).as(what).isTrue();
    }

    /**
     * A dependency cycle reachable from {@code resource}, empty when there is none; {@code visited} holds the
     * resources being visited (false) and those done (true).
     */
    private static List<String> cycleThrough(String resource, Map<String, Set<String>> dependsOn,
            Map<String, Boolean> visited, List<String> path) {
        if (Boolean.TRUE.equals(visited.get(resource))) {
            return List.of();
        }
        if (Boolean.FALSE.equals(visited.get(resource))) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(resource), path.size()));
            cycle.add(resource);
            return cycle;
        }
        visited.put(resource, false);
        path.add(resource);
        for (String next : dependsOn.get(resource)) {
            List<String> cycle = cycleThrough(next, dependsOn, visited, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        visited.put(resource, true);
        return List.of();
    }
}
