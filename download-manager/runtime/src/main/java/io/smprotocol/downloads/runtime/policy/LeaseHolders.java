package io.smprotocol.downloads.runtime.policy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The unique-ip leases this process holds, each with the Vert.x context of the download that holds it.
 * <p>
 * A download gives its lease back when the last write of its response completed, on its connection's event loop.
 * The client can read that last byte and send its next request, which another event loop takes, before that
 * event loop has run the release: the new request would then be refused for a download that is over. So a request
 * that finds the lease held here waits for one turn of the holder's event loop (whatever it was doing, the release
 * included, is then done) and asks once more. A request that finds no holder any more, because the release ran
 * between its attempt and its look here, asks once more at once. A download still running keeps its lease and the
 * request is refused.
 */
final class LeaseHolders {

    /** A holder; {@code context} is {@code null} when the lease was taken off any Vert.x context. */
    private record Holder(Context context) {
    }

    private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();

    /** @return whether the key was free; it is now held by the calling context */
    boolean take(String key) {
        return holders.putIfAbsent(key, new Holder(Vertx.currentContext())) == null;
    }

    /** Gives the key back. */
    void give(String key) {
        holders.remove(key);
    }

    /** @return how many keys are held */
    int size() {
        return holders.size();
    }

    /**
     * Asks again after the holder's event loop finished its current task, on the caller's context; at once when this
     * process holds the key no more (it was given back since it was found taken, or another replica holds it).
     *
     * @param key the key that was found taken
     * @param again the second (and last) attempt
     */
    <T> Future<T> afterHolder(String key, Supplier<Future<T>> again) {
        Holder holder = holders.get(key);
        if (holder == null || holder.context() == null) {
            return again.get();
        }
        Context caller = Vertx.currentContext();
        Promise<T> answer = Promise.promise();
        holder.context().runOnContext(turnOver -> {
            if (caller == null) {
                again.get().onComplete(answer);
            } else {
                caller.runOnContext(back -> again.get().onComplete(answer));
            }
        });
        return answer.future();
    }
}
