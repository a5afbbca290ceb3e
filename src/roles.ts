/** Abstract role keys of docs/deadlines.md §1.2; each authority maps them to people. */
export const roles = [
  'social_worker',
  'advanced_practitioner',
  'mash_officer',
  'mash_duty_manager',
  'mash_second_manager',
  'team_manager',
  'pgl',
  'head_of_service',
  'director',
  'cp_chair',
  'qa_bstl',
  'iro',
  'iro_manager',
  'cic_business_support',
  'virtual_school',
  'lac_health_team',
  'designated_teacher',
  'ssw',
  'care_panel',
  'slt',
  'out_of_hours_service',
] as const;

export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  social_worker: 'Social worker',
  advanced_practitioner: 'Advanced practitioner',
  mash_officer: 'MASH officer',
  mash_duty_manager: 'MASH duty manager',
  mash_second_manager: 'MASH second manager',
  team_manager: 'Team manager',
  pgl: 'Practice Group Lead',
  head_of_service: 'Head of Service',
  director: 'Director of Children’s Social Care',
  cp_chair: 'Child protection conference chair',
  qa_bstl: 'Quality assurance / business support team leader',
  iro: 'Independent Reviewing Officer',
  iro_manager: 'IRO manager',
  cic_business_support: 'Child in Care business support',
  virtual_school: 'Virtual School',
  lac_health_team: 'Looked-after children’s health team',
  designated_teacher: 'Designated teacher',
  ssw: 'Supervising social worker',
  care_panel: 'Care Panel',
  slt: 'Senior Leadership Team',
  out_of_hours_service: 'Out-of-hours service',
};

/** Role → email addresses: the authority's directory, or a case's own people. */
export type Directory = Partial<Record<Role, string[]>>;
