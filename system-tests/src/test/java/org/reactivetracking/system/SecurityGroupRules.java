package org.reactivetracking.system;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Every security group rule of a deployed stack, inline ({@code SecurityGroupIngress}/{@code SecurityGroupEgress} of
 * an {@code AWS::EC2::SecurityGroup}) or standalone ({@code AWS::EC2::SecurityGroupIngress}/{@code Egress}), as EC2
 * applies them: a group declared without inline egress rules gets EC2's default rule, all traffic out to anywhere.
 */
final class SecurityGroupRules {

    /**
     * @param group the security group's logical id
     * @param peer  the other side: a security group's logical id, or a CIDR
     */
    record Rule(String group, boolean inbound, String protocol, int fromPort, int toPort, String peer) {

        boolean allows(int port) {
            return protocol.equals("-1") || (fromPort <= port && port <= toPort);
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    SecurityGroupRules(StackTemplate deployed) {
        for (String group : deployed.ofType("AWS::EC2::SecurityGroup")) {
            JsonNode properties = deployed.properties(group);
            properties.path("SecurityGroupIngress").forEach(rule -> rules.add(rule(group, true, rule)));
            if (properties.has("SecurityGroupEgress")) {
                properties.get("SecurityGroupEgress").forEach(rule -> rules.add(rule(group, false, rule)));
            }
            else {
                rules.add(new Rule(group, false, "-1", 0, 65535, "0.0.0.0/0"));
            }
        }
        for (String type : List.of("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")) {
            for (String name : deployed.ofType(type)) {
                JsonNode rule = deployed.properties(name);
                rules.add(rule(group(rule.get("GroupId")), type.endsWith("Ingress"), rule));
            }
        }
    }

    /** The rules that let traffic into {@code group}. */
    List<Rule> inbound(String group) {
        return rules.stream().filter(rule -> rule.inbound() && rule.group().equals(group)).toList();
    }

    /** The rules that let traffic out of {@code group}. */
    List<Rule> outbound(String group) {
        return rules.stream().filter(rule -> !rule.inbound() && rule.group().equals(group)).toList();
    }

    private static Rule rule(String group, boolean inbound, JsonNode rule) {
        String peer;
        if (rule.has("CidrIp")) {
            peer = rule.get("CidrIp").stringValue();
        }
        else {
            peer = group(rule.has("SourceSecurityGroupId") ? rule.get("SourceSecurityGroupId")
                    : rule.get("DestinationSecurityGroupId"));
        }
        String protocol = rule.get("IpProtocol").asString();
        return new Rule(group, inbound, protocol, rule.path("FromPort").asInt(0), rule.path("ToPort").asInt(65535),
                peer);
    }

    /** The logical id of a security group given as {@code Ref} or {@code Fn::GetAtt [group, GroupId]}. */
    static String group(JsonNode reference) {
        if (reference.has("Ref")) {
            return reference.get("Ref").stringValue();
        }
        if (reference.has("Fn::GetAtt") && reference.get("Fn::GetAtt").get(1).stringValue().equals("GroupId")) {
            return reference.get("Fn::GetAtt").get(0).stringValue();
        }
        throw new IllegalArgumentException("not a security group of the stack: " + reference);
    }
}
