package dev.streamloop.engine;

/**
 * A source's declared watermark (Spark's withWatermark): its event-time column and how late rows
 * may arrive.
 *
 * @param source The source's index in the query.
 * @param column The event-time column's index in the source's rows (epoch milliseconds).
 * @param delayMs How late a row may be and still count.
 */
public record EventTimeWatermark(int source, int column, long delayMs) {}
