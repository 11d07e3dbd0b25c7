// Who is signed in, and what the UI shows them. The core enforces the roles
// (src-tauri/data/permissions.tsv); the UI only leaves out what would be refused.

export const ROLES = ['admin', 'staff', 'viewer'];

const state = {
  initialized: false,
  agency: null,
  user: null,
  // The commands the core lets this user call (auth_status reads data/permissions.tsv).
  commands: new Set(),
};

export function set({ initialized, agency, user, commands } = {}) {
  if (initialized !== undefined) state.initialized = Boolean(initialized);
  if (agency !== undefined) state.agency = agency || null;
  if (user !== undefined) state.user = user || null;
  if (commands !== undefined) state.commands = new Set(Array.isArray(commands) ? commands : []);
}

export function clearUser() {
  state.user = null;
  state.commands = new Set();
}

export const initialized = () => state.initialized;
export const agency = () => state.agency;
export const user = () => state.user;
export const role = () => (state.user ? state.user.role : null);
export const signedIn = () => Boolean(state.user);

/** Whether the core lets this user call `command`: the UI leaves out what it would refuse. */
export const can = (command) => state.commands.has(command);
/** Managing accounts is what the admin screens (users, audit, agency edits) hang on. */
export const isAdmin = () => can('users_list');
/** Changing workers (create, edit, status, archive, consent, export). */
export const canWrite = () => can('workers_update');
