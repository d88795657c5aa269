/** A JSON Schema node, as `z.toJSONSchema` writes one. */
type Node = { readonly [keyword: string]: unknown };

/** True when a value already holds every field with a default that its schema would fill in. */
export type DefaultsPresent = (value: unknown) => boolean;

const always: DefaultsPresent = () => true;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A default on the node itself, or on the definition it refers to (`target`). */
function ownDefault(node: Node, target: Node): boolean {
  return Object.hasOwn(node, 'default') || Object.hasOwn(target, 'default');
}

/**
 * Works out, from an event type's JSON Schema (input side), how to tell whether stored data already has
 * every field the schema gives a default: such data is what the schema would return, so it can be taken
 * as stored. Follows the document's own `$defs`, objects' properties, arrays' items and a value-or-null
 * `anyOf`. Returns null where a default sits under anything else (a union of objects, say): on doubt the
 * data goes through the schema.
 */
export function defaultsPresent(root: Node): DefaultsPresent | null {
  const defs = isNode(root.$defs) ? root.$defs : {};

  function resolve(node: Node, seen: readonly string[]): { node: Node; seen: readonly string[] } | null {
    const ref = node.$ref;
    if (typeof ref !== 'string') return { node, seen };
    const name = ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : null;
    const target = name === null ? undefined : defs[name];
    if (name === null || seen.includes(name) || !isNode(target)) return null;
    return resolve(target, [...seen, name]);
  }

  /**
   * Whether a default is anywhere strictly under a resolved node (null: cannot tell), leaving out the
   * keyword `except`.
   */
  function below(target: Node, seen: readonly string[], except?: string): boolean | null {
    for (const [keyword, value] of Object.entries(target)) {
      if (keyword === '$defs' || keyword === 'default' || keyword === except) continue;
      // `properties` holds nodes by name; other keywords hold a node or a list of them.
      const children =
        keyword === 'properties' && isNode(value)
          ? Object.values(value)
          : Array.isArray(value)
            ? value
            : [value];
      for (const child of children) {
        if (!isNode(child)) continue;
        const found = hasDefault(child, seen);
        if (found !== false) return found;
      }
    }
    return false;
  }

  /** Whether the node has a default, or one under it (null: cannot tell). */
  function hasDefault(node: Node, seen: readonly string[]): boolean | null {
    const resolved = resolve(node, seen);
    if (!resolved) return null;
    if (ownDefault(node, resolved.node)) return true;
    return below(resolved.node, resolved.seen);
  }

  function walk(node: Node, seen: readonly string[]): DefaultsPresent | null {
    const resolved = resolve(node, seen);
    if (!resolved) return null;
    const { node: target } = resolved;
    const deeper = below(target, resolved.seen);
    if (deeper === null) return null;
    // A default on the node itself, with none under it, is its parent's to check (the field's presence).
    if (!deeper) return always;
    // Below, each shape looks under one keyword: a default under any other (a record's values, say) is
    // not followed.
    const onlyUnder = (keyword: string) => below(target, resolved.seen, keyword) === false;
    if (target.type === 'object' && isNode(target.properties) && onlyUnder('properties')) {
      const checks: [string, boolean, DefaultsPresent][] = [];
      for (const [field, child] of Object.entries(target.properties)) {
        if (!isNode(child)) return null;
        const check = walk(child, resolved.seen);
        const filled = resolve(child, resolved.seen);
        if (!check || !filled) return null;
        const required = ownDefault(child, filled.node);
        if (required || check !== always) checks.push([field, required, check]);
      }
      return (value) => {
        if (!isNode(value)) return false;
        for (const [field, required, check] of checks) {
          if (!Object.hasOwn(value, field)) {
            if (required) return false;
          } else if (!check(value[field])) return false;
        }
        return true;
      };
    }
    if (target.type === 'array' && isNode(target.items) && onlyUnder('items')) {
      const check = walk(target.items, resolved.seen);
      if (!check) return null;
      return (value) => Array.isArray(value) && value.every(check);
    }
    if (Array.isArray(target.anyOf) && onlyUnder('anyOf')) {
      const branches = target.anyOf.filter(isNode);
      const values = branches.filter((branch) => branch.type !== 'null');
      if (branches.length !== target.anyOf.length || values.length !== 1) return null;
      const check = walk(values[0]!, resolved.seen);
      if (!check) return null;
      return (value) => value === null || check(value);
    }
    return null;
  }

  return walk(root, []);
}
