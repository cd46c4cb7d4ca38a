package io.smprotocol.it.replicas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Three replicas sharing one MongoDB (and memcached, when given) behind one balancer, started in parallel. */
final class Trio implements AutoCloseable {

    final List<Replica> replicas = new ArrayList<>();
    Balancer balancer;

    static Trio start(Path dir, String prefix, Map<String, String> shared) throws Exception {
        Trio trio = new Trio();
        try {
            for (int i = 1; i <= 3; i++) {
                Map<String, String> settings = new LinkedHashMap<>(shared);
                trio.replicas.add(new Replica(prefix + "-" + i, dir.resolve(prefix + "-" + i), settings));
            }
            for (Replica replica : trio.replicas) {
                replica.start();
            }
            for (Replica replica : trio.replicas) {
                replica.awaitReady();
            }
            trio.balancer = Balancer.start(dir, trio.replicas);
            return trio;
        } catch (Exception | AssertionError e) {
            trio.close();
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (balancer != null) {
            balancer.stop();
        }
        for (Replica replica : replicas) {
            replica.signalTerm();
        }
        for (Replica replica : replicas) {
            replica.kill();
        }
    }

}
