'use client';
// False in the server-rendered HTML and until React has attached the handlers: buttons stay
// disabled until then, so an early click is never silently lost.
import { useEffect, useState } from 'react';

export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
