package io.smprotocol.downloads.runtime.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smprotocol.downloads.runtime.policy.OnContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

class WorkerLaneTest {

    Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(8));
    }

    @AfterEach
    void stop() throws Exception {
        OnContext.close(vertx);
    }

    @Test
    void runsTasksOfManySubmittersOneAtATimeInTheOrderEachSubmittedThem() throws InterruptedException {
        WorkerLane lane = new WorkerLane(vertx, "test", 0);
        int submitters = 4;
        int each = 5_000;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<List<Integer>> seen = new ArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(submitters * each);
        List<Thread> producers = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            List<Integer> mine = new ArrayList<>();
            seen.add(mine);
            producers.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int n = i;
                    lane.submit(() -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        // confined to the lane: a plain list is enough when tasks never overlap
                        mine.add(n);
                        threads.add(Thread.currentThread().getName());
                        running.decrementAndGet();
                        done.countDown();
                    });
                }
            }));
        }
        producers.forEach(Thread::start);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(1);
        for (List<Integer> mine : seen) {
            assertThat(mine).hasSize(each).isSorted();
        }
        assertThat(threads).allSatisfy(name -> assertThat(name).contains("worker"));
    }

    @Test
    void tasksSubmittedWhileATurnRunsJoinThatTurn() throws InterruptedException {
        WorkerLane lane = new WorkerLane(vertx, "test", 0);
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        lane.submit(() -> {
            threads.add(Thread.currentThread().getName());
            firstRunning.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 2; i++) {
            lane.submit(() -> {
                threads.add(Thread.currentThread().getName());
                done.countDown();
            });
        }
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // one hand-off carried all three
        assertThat(threads).hasSize(3).containsOnly(threads.get(0));
    }

    @Test
    void aGatheringLaneTakesWhatCameMeanwhileInOneTurn() throws InterruptedException {
        WorkerLane lane = new WorkerLane(vertx, "test", 20);
        List<String> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(50);
        // from an event loop, as the download listener submits
        vertx.runOnContext(v -> {
            for (int i = 0; i < 50; i++) {
                lane.submit(() -> {
                    threads.add(Thread.currentThread().getName());
                    done.countDown();
                });
            }
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).hasSize(50).containsOnly(threads.get(0));
        assertThat(threads.get(0)).contains("worker");
    }

    @Test
    void aFailingTaskDoesNotStopTheLane() throws InterruptedException {
        WorkerLane lane = new WorkerLane(vertx, "test", 0);
        CountDownLatch after = new CountDownLatch(1);
        lane.submit(() -> {
            throw new IllegalStateException("an observer failed");
        });
        lane.submit(after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aQueueLongerThanATurnRunsWhollyInOrderOverSeveralTurns() throws InterruptedException {
        WorkerLane lane = new WorkerLane(vertx, "test", 0);
        CountDownLatch release = new CountDownLatch(1);
        int tasks = WorkerLane.TURN * 3 + 7;
        List<Integer> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(tasks + 1);
        lane.submit(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        for (int i = 0; i < tasks; i++) {
            int n = i;
            lane.submit(() -> {
                order.add(n);
                done.countDown();
            });
        }
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).hasSize(tasks).isSorted();
    }
}
