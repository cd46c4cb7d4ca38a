package io.smprotocol;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The application's listeners, operated from code as the management endpoints and SIGHUP operate them: every
 * protocol's, and the download manager's ({@code download}) when the application has it. Inject it:
 *
 * <pre>
 * &#64;Inject
 * Listeners listeners;
 *
 * void rotate() {
 *     listeners.restart("smtp").toCompletableFuture().join();
 * }
 * </pre>
 *
 * The operations return at once and complete on another thread; none of them blocks an event loop.
 */
public interface Listeners {

    /** @return the state and counters of every listener: the protocols in the order they were found, then the rest */
    List<ListenerStatus> statuses();

    /**
     * @param name a listener's name
     * @return its state and counters
     * @throws UnknownListenerException when the application has no such listener
     */
    ListenerStatus status(String name);

    /**
     * @param name a listener's name
     * @return its per-command figures, one per verb seen (per HTTP method for the download listener), most frequent
     *         first
     * @throws UnknownListenerException when the application has no such listener
     */
    List<CommandCount> commands(String name);

    /**
     * Restarts one listener: it stops accepting, lets its connections finish (within its {@code drain-timeout}),
     * closes them with {@link CloseReason#SERVER_RESTART}, reads its configuration again and listens again. The other
     * listeners are not touched.
     *
     * @param name a listener's name
     * @return completes with the new status; fails when the listener cannot listen again (it is then FAILED)
     * @throws UnknownListenerException when the application has no such listener
     */
    CompletionStage<ListenerStatus> restart(String name);

    /**
     * Drains and stops one listener; its connections close with {@link CloseReason#SERVER_RESTART}.
     *
     * @param name a listener's name
     * @return completes with the new status
     * @throws UnknownListenerException when the application has no such listener
     */
    CompletionStage<ListenerStatus> stop(String name);

    /**
     * Starts a stopped or failed listener, with its configuration read again; starting a running one does nothing.
     *
     * @param name a listener's name
     * @return completes with the new status; fails when the listener cannot listen
     * @throws UnknownListenerException when the application has no such listener
     */
    CompletionStage<ListenerStatus> start(String name);

    /**
     * Restarts every listener at once, as SIGHUP does.
     *
     * @return completes with every status once all have restarted; fails if one could not listen again (the others
     *         still restarted)
     */
    CompletionStage<List<ListenerStatus>> restartAll();
}
