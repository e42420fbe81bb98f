/**
 * @module
 * Which packets of a batch the ingest counts, as the detection rollups read
 * them (the same marks the access rollups use).
 */

/** Packets with `sensorOf[i] === sensorId` count; `hours[i]` is their local hour number. */
export interface CountedPackets {
  sensorOf: Int32Array;
  sensorId: number;
  hours: Float64Array;
}
