// Public, like the privacy page: people read what the stances mean before and after they join.
// Nothing to interact with: the page ships no JavaScript.
export const csr = false;
