package org.reactivetracking.system;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * When the events of each shard were stored, from the stored items' {@code shardId} and {@code storedAt} (stamped
 * as each write request is sent; a redelivered event's item is written again and carries the later time). What the
 * scale-out tests report, not what they assert: it depends on the machine's timing.
 */
final class ShardTimeline {

    /** Each shard's storedAt times, sorted. */
    private final Map<String, List<Long>> storedAt = new TreeMap<>();

    ShardTimeline(Collection<Map<String, AttributeValue>> items) {
        Map<String, List<Long>> byShard = new HashMap<>();
        items.forEach(item -> byShard.computeIfAbsent(item.get("shardId").s(), shard -> new ArrayList<>())
                .add(Long.parseLong(item.get("storedAt").n())));
        byShard.forEach((shard, times) -> storedAt.put(shard, times.stream().sorted().toList()));
    }

    /** When the first item of {@code shard} was stored, epoch milliseconds. */
    long firstStored(String shard) {
        return storedAt.get(shard).get(0);
    }

    /** When the last item of {@code shard} was stored, epoch milliseconds. */
    long lastStored(String shard) {
        List<Long> times = storedAt.get(shard);
        return times.get(times.size() - 1);
    }

    /**
     * For each shard {@code victim} held when it was killed: how long the shard stayed unread, from the kill to the
     * first item stored from it afterwards (by another instance, the victim being dead).
     */
    String handOver(String victim, Map<String, String> holdersAtKill, long killedAt) {
        StringBuilder report = new StringBuilder("hand-over after the SIGKILL of " + victim + " at "
                + Instant.ofEpochMilli(killedAt) + ":");
        holdersAtKill.forEach((shard, holder) -> {
            if (holder.equals(victim)) {
                long first = storedAt.getOrDefault(shard, List.of()).stream().filter(time -> time > killedAt)
                        .findFirst().orElse(-1L);
                report.append(first < 0 ? "\n  " + shard + ": nothing stored after the kill"
                        : String.format("%n  %s: unread for %.1f s", shard, (first - killedAt) / 1000.0));
            }
        });
        return report.toString();
    }

    /**
     * For each child shard: its first stored item against its parent's last, i.e. whether the child was read only
     * once the parent was drained.
     */
    String childrenAfterParents(Collection<StreamShards.Shard> shards) {
        StringBuilder report = new StringBuilder("children against their parents (first stored item of the child"
                + " minus the last of the parent):");
        int before = 0;
        int children = 0;
        for (StreamShards.Shard shard : shards.stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
            List<Long> child = storedAt.get(shard.id());
            List<Long> parent = shard.parentId() == null ? null : storedAt.get(shard.parentId());
            if (child == null || parent == null) {
                continue;
            }
            children++;
            long gap = firstStored(shard.id()) - lastStored(shard.parentId());
            before += gap < 0 ? 1 : 0;
            report.append(String.format("%n  %s (parent %s): %+.1f s%s", shard.id(), shard.parentId(), gap / 1000.0,
                    gap < 0 ? ", read before its parent was drained" : ""));
        }
        return report.append(String.format("%n  %d of %d children read before their parent was drained", before,
                children)).toString();
    }
}
