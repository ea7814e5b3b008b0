/** A handful of counters in Prometheus text format; enough for probes and dashboards. */
export class Counters {
  private readonly values = new Map<string, number>();

  increment(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  render(prefix: string): string {
    return [...this.values].map(([name, value]) => `${prefix}_${name} ${value}`).join('\n') + '\n';
  }
}
