/** A datetime as DRF renders Django's aware UTC datetimes: microseconds and a `Z`. */
export function drfDateTime(ms: number = Date.now()): string {
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

