package io.smprotocol.it.tracking;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;

import com.mongodb.MongoQueryException;

import io.smprotocol.downloads.runtime.tracking.Download;
import io.smprotocol.downloads.runtime.tracking.RequestRecord;

/** Reads what tracking wrote to MongoDB. */
final class Records {

    private Records() {
    }

    static List<Download> downloads(String userAgent) {
        // mongo-java-server's H2 backend now and then fails a query that runs alongside a write ("Unknown error:
        // null"); a real MongoDB does not, so the test asks again rather than fail on the test server's account
        for (int attempt = 1;; attempt++) {
            try {
                return Download.<Download> find("client.userAgent", userAgent).list();
            } catch (MongoQueryException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    static List<RequestRecord> requests(String userAgent) {
        return RequestRecord.<RequestRecord> find("userAgent", userAgent).list();
    }

    /** Waits for the one download of this user agent to have ended, and returns it. */
    static Download ended(String userAgent) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<Download> found = downloads(userAgent);
                return found.size() == 1 && found.get(0).endReason != null && found.get(0).parts.values().stream()
                        .noneMatch(p -> p.open);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no single ended download of " + userAgent + ": " + downloads(userAgent).stream()
                    .map(Records::describe).toList(), e);
        }
        return downloads(userAgent).get(0);
    }

    static String describe(Download d) {
        return d.id + " " + d.endReason + " completed=" + d.completed + " covered=" + d.coveredBytes + "/"
                + d.file.size + " requests=" + d.requests + " open parts="
                + d.parts.values().stream().filter(p -> p.open).count() + " list=" + d.requestList.stream()
                        .map(r -> r.range + ":" + r.status + ":" + r.bytes + ":" + r.reason).toList();
    }

    static String agent(String name) {
        return name + "-" + System.nanoTime();
    }
}
