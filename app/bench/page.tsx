// Parser Bench: pick a parser and an uploaded file; preview its outputs (rows, observed schema,
// diffs against the intent and the approved contract, parse errors); test the file against any
// contract version; backtest a version over every uploaded file of the kind, failing files first.
import { requirePageUser } from '../../lib/server/auth/current-user';
import { benchParsers } from '../../lib/server/bench/bench-service';
import { hasPermission } from '../../lib/server/permissions';
import { BenchClient } from './bench-client';
import './bench.css';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function BenchPage({ searchParams }: Props) {
  const user = await requirePageUser('contracts.read', '/bench');
  const sp = await searchParams;
  const parsers = benchParsers();
  const wanted = typeof sp.parser === 'string' ? sp.parser : '';
  const initialParser = parsers.some((p) => p.id === wanted) ? wanted : (parsers[0]?.id ?? '');
  return (
    <>
      <h1>Parser Bench</h1>
      <p className="muted">
        Runs a parser on the start of an uploaded file in the server, without storing anything.
        {hasPermission(user, 'uploads.create') ? (
          <>
            {' '}
            Need another file? <a href="/upload">Upload one</a>, then come back.
          </>
        ) : null}
      </p>
      <BenchClient parsers={parsers} initialParser={initialParser} />
    </>
  );
}
