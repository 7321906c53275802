/**
 * Server names, free of Node APIs so the browser bundle (the search island's links) can use them.
 */

/** `io.github.user/weather` -> `['io.github.user', 'weather']`. */
export function splitName(name: string): [namespace: string, name: string] {
  const slash = name.indexOf('/');
  return [name.slice(0, slash), name.slice(slash + 1)];
}
