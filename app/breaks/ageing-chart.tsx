// Ageing of the filtered set: one bar per business-day age bucket, in plain SVG.
const LABELS: Record<string, string> = { '0': 'today', '1': '1 day', '2-4': '2–4 days', '5+': '5+ days' };

export function AgeingChart({ buckets }: { buckets: Record<string, number> }) {
  const entries = Object.entries(buckets);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const barH = 22;
  const width = 320;
  const labelW = 70;
  return (
    <section className="panel" aria-labelledby="ageing-h">
      <h2 id="ageing-h">Ageing (business days)</h2>
      <svg role="img" aria-label="Ageing of breaks" width={width + 60} height={entries.length * (barH + 6)}>
        {entries.map(([bucket, n], i) => {
          const w = Math.round((n / max) * width * 0.8);
          const y = i * (barH + 6);
          return (
            <g key={bucket}>
              <text x={0} y={y + barH * 0.7} fontSize="12">
                {LABELS[bucket] ?? bucket}
              </text>
              <rect x={labelW} y={y} width={w} height={barH} fill={bucket === '5+' ? '#b3261e' : bucket === '2-4' ? '#b26a00' : '#2f6fd6'} />
              <text x={labelW + w + 6} y={y + barH * 0.7} fontSize="12">
                {n}
              </text>
            </g>
          );
        })}
      </svg>
    </section>
  );
}
