import { type CommandType, rolesAllowedTo } from '@concord/domain';

/**
 * Whether the signed-in person's role may issue `command` at all: the domain's permission table
 * (`allowedCommands`), which the API enforces, read here so that the portal offers exactly the forms the
 * API would accept. The one role check of the portal's pages; which organization a person may act for is
 * each page's check on its own data.
 */
export function may(person: { role: string } | null | undefined, command: CommandType): boolean {
  return !!person && rolesAllowedTo(command).some((role) => role === person.role);
}
