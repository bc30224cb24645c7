package keyquota.infrastructure.readmodel;

/**
 * How far a read model is: the position of the last event it reflects, the head of the event store, and the
 * fraction between them (of the rebuild, while one runs).
 */
public record ReadModelStatus(String name, long position, long headPosition, boolean replaying, double progress,
                               String failure) {
}
