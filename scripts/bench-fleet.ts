export interface FleetBenchOptions { resellers: number; shards: number; parallel: number; latencyMs: number; budget: number; s3: boolean }
export async function fleetBench(_o: FleetBenchOptions): Promise<void> {
    throw new Error("not yet");
}
