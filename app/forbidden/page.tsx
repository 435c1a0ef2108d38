// Where a logged-in user lands on a page their roles do not open.
export default async function Forbidden({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  return (
    <div className="panel">
      <h1>Not allowed</h1>
      <p>Your roles do not include this page{need ? <> (it needs the permission <code>{need}</code>)</> : null}.</p>
      <p className="muted">Ask an administrator if you need access.</p>
    </div>
  );
}
