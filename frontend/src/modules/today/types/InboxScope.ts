/** Whose work the inbox lists: mine, or what nobody has picked up yet. */
export type InboxScope = 'mine' | 'unassigned';
