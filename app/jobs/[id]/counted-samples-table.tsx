// A table of kinds (a violation type, a parse-error code) with their row count and a list of
// sample rows: the job page's quarantine summary and parse-error summary share it.
import type { ReactNode } from 'react';
import { formatCount } from '../job-format';

export interface CountedSamples {
  kind: string;
  rows: number;
  samples: { key: string; text: ReactNode }[];
}

export function CountedSamplesTable(props: { label: string; kindHeader: string; countHeader: string; samplesHeader: string; items: CountedSamples[] }) {
  return (
    <table aria-label={props.label}>
      <thead>
        <tr>
          <th>{props.kindHeader}</th>
          <th className="num">{props.countHeader}</th>
          <th>{props.samplesHeader}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((item) => (
          <tr key={item.kind}>
            <td className="mono">{item.kind}</td>
            <td className="num">{formatCount(item.rows)}</td>
            <td>
              <ul style={{ margin: 0, paddingLeft: '1rem' }}>
                {item.samples.map((s) => (
                  <li key={s.key} className="mono">
                    {s.text}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
