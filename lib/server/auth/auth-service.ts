// What pages and route handlers call for accounts: the functions of this folder bound to the
// process database (app/ never touches db/ itself).
import { getDb } from '../../../db/open';
import { logIn, logOut } from './login';
import { addUser, changeUser, listUsers, type newUserSchema, type userChangeSchema, type UserListing } from './manage-users';
import type { SessionUser } from './users';
import type { z } from 'zod';

export async function logInUser(username: string, password: string) {
  return logIn(await getDb(), username, password);
}

export async function logOutUser(user: SessionUser | null, token: string): Promise<void> {
  return logOut(await getDb(), user, token);
}

export async function allUsers(): Promise<UserListing[]> {
  return listUsers(await getDb());
}

export async function addUserAs(actor: string, input: z.infer<typeof newUserSchema>): Promise<UserListing> {
  return addUser(await getDb(), actor, input);
}

export async function changeUserAs(actor: string, username: string, change: z.infer<typeof userChangeSchema>): Promise<UserListing> {
  return changeUser(await getDb(), actor, username, change);
}
