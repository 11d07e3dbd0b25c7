// Who is signed in, and what the UI shows them. The core enforces the roles
// (src-tauri/data/permissions.tsv); the UI only leaves out what would be refused.

export const ROLES = ['admin', 'staff', 'viewer'];

const state = {
  initialized: false,
  agency: null,
  user: null,
};

export function set({ initialized, agency, user } = {}) {
  if (initialized !== undefined) state.initialized = Boolean(initialized);
  if (agency !== undefined) state.agency = agency || null;
  if (user !== undefined) state.user = user || null;
}

export function clearUser() {
  state.user = null;
}

export const initialized = () => state.initialized;
export const agency = () => state.agency;
export const user = () => state.user;
export const role = () => (state.user ? state.user.role : null);
export const signedIn = () => Boolean(state.user);

export const isAdmin = () => role() === 'admin';
/** admin and staff change workers (create, edit, status, archive, consent, export). */
export const canWrite = () => role() === 'admin' || role() === 'staff';
