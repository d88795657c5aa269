// The words of partnerships (ADR 0027): the five elements, the thirteen pillars, partner kinds, action
// statuses and what a reflection is about. Ids are the domain's; the words are the portal's.
import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const elementLabel = labeler({
  context: m.element_context,
  ownership: m.element_ownership,
  trust: m.element_trust,
  flexibility: m.element_flexibility,
  learning: m.element_learning,
});

export const pillarLabel = labeler({
  contextAndCulture: m.pillar_context_and_culture,
  power: m.pillar_power,
  livedExperience: m.pillar_lived_experience,
  coDesign: m.pillar_co_design,
  coLeadership: m.pillar_co_leadership,
  voiceAndVisibility: m.pillar_voice_and_visibility,
  relationships: m.pillar_relationships,
  clarityAndAgreement: m.pillar_clarity_and_agreement,
  valuesAndExpectations: m.pillar_values_and_expectations,
  waysOfWorking: m.pillar_ways_of_working,
  changingNeeds: m.pillar_changing_needs,
  mutualAccountability: m.pillar_mutual_accountability,
  sharedLearning: m.pillar_shared_learning,
});

export const partnerKindLabel = labeler({
  ingo: m.partner_kind_ingo,
  donor: m.partner_kind_donor,
  hostCommunity: m.partner_kind_host_community,
  grantee: m.partner_kind_grantee,
  other: m.partner_kind_other,
});

export const actionStatusLabel = labeler({
  proposed: m.action_status_proposed,
  agreed: m.action_status_agreed,
  inProgress: m.action_status_in_progress,
  done: m.action_status_done,
  dropped: m.action_status_dropped,
});

export const reflectionAboutLabel = labeler({
  grant: m.reflection_about_grant,
  project: m.reflection_about_project,
  partnership: m.reflection_about_partnership,
});
