package app

// The built-in text of the signposting pages: what each page says until an
// admin saves a version of their own. Plain English, no telephone numbers but
// 999 and 101, and no addresses that could go stale but GOV.UK's.

type builtInPage struct{ title, body string }

var builtInPages = map[string]builtInPage{
	"report": {title: "Report a problem", body: `## In an emergency, call 999

Call 999 if a crime is happening now, someone is in danger, or someone has just been hurt or threatened.

## Crime and anti-social behaviour that is not an emergency

- Call the police on 101, or report it online on Durham Constabulary's website.
- Use 101 for crime that has already happened, drug dealing, people causing harassment, alarm or distress, and anti-social behaviour that involves threats or violence.
- If you would rather not give your name, you can tell Crimestoppers anonymously through their website.

## Problems your council deals with

Many neighbourhood problems are the council's to fix, not the police's. Report these on your council's website:

- noise from homes, parties, music, alarms or barking dogs
- fly-tipping, litter, dog fouling and graffiti
- abandoned vehicles
- overgrown or untidy land, and pests
- problems with council-owned homes, play areas and parks

See [who does what](/help/who-does-what) to find out which organisation to contact.

## If you rent your home

If the problem comes from a neighbour who rents from a housing association or the council, tell their landlord as well: tenancy agreements usually forbid anti-social behaviour, and the landlord can act on it.

## Keep a record

Write down the date, the time, what happened, who was involved if you know, and how it affected you. Keep the reference number you are given each time you report something. A record like this helps the police and the council act, and you will need it if you use the [Community Trigger](/help/community-trigger).

## If you have reported it and nothing has changed

If you have reported the same problem several times and you feel nothing has been done, you can ask for a case review using the [ASB Community Trigger](/help/community-trigger).`},

	"who-does-what": {title: "Who does what", body: `Three organisations share the work of keeping neighbourhoods in County Durham and Darlington safe. Report a problem to the one that owns it and it will be dealt with sooner.

## Durham Constabulary (the police)

The police cover the whole of County Durham and Darlington. Contact them about:

- crime, including burglary, theft, criminal damage, assault and hate crime
- anti-social behaviour that involves threats, violence, intimidation or harassment
- drug dealing and drug use in public
- dangerous or anti-social driving
- anything where someone is in danger

Call 999 in an emergency. Otherwise call 101 or report online on the police's website.

## Durham County Council

For addresses in County Durham (outside Darlington). Contact the council, on its website, about:

- noise nuisance
- fly-tipping, litter, dog fouling and graffiti
- abandoned vehicles
- environmental problems such as pests, smoke and overgrown land
- roads, pavements and street lights

## Darlington Borough Council

For addresses in the borough of Darlington. Contact the council, on its website, about the same kinds of problems: noise, fly-tipping, litter, dog fouling, graffiti, abandoned vehicles, environmental problems and roads. Darlington Borough Council is also the landlord of its council homes, so tell it about anti-social behaviour by its tenants.

## Not sure which council covers you?

Use GOV.UK's [find your local council](https://www.gov.uk/find-local-council) service with your postcode.

## Working together

The police and both councils work together, with housing providers and other partners, on problems that need more than one of them. If you report a problem to the wrong one, they will tell you who to contact. If the same problem keeps happening, see the [ASB Community Trigger](/help/community-trigger).`},

	"community-trigger": {title: "The ASB Community Trigger", body: `The Community Trigger, also called an anti-social behaviour case review, gives you the right to ask the police, the council and housing providers to look again at how they have dealt with anti-social behaviour you have reported, when you feel nothing has been done. It is set out in the Anti-social Behaviour, Crime and Policing Act 2014.

## When you can use it

You can usually use the Community Trigger when, in the last six months:

- you have reported three or more separate incidents of anti-social behaviour to the council, the police or a housing provider, each within one month of it happening, or
- several people (usually five) have reported similar incidents in your area.

The agencies can also agree to a case review below this threshold, for example when the person affected is vulnerable or the behaviour is motivated by hate. Your council's website gives the threshold that applies where you live.

You can use it for yourself, or someone can use it on your behalf with your agreement, such as a family member, a friend, a councillor or a support worker.

## How to use it

- Apply through your council's website, or ask the police on 101 or a housing provider to start it for you.
- Say who you are and how to contact you, where the behaviour happens, the dates you reported it, who you reported it to and any reference numbers you were given.
- The agencies will check whether the threshold is met and tell you whether a case review will take place.

## Your impact statement

You have the right to submit a written statement about how the anti-social behaviour has affected you, your family and those around you. The people reviewing your case will read it before they decide what should happen. Say what happens, how often, and how it makes you feel and changes what you do. You can ask someone to help you write it.

## The resolution meeting

The police, the council and other agencies meet to review what has been done and agree what they will do next. You have the right to attend this meeting and to say in your own words what has happened and what you want to change. You can ask for someone to support you, such as a friend, family member or advocate. Some meetings are supported by trained volunteers.

## After the meeting

You will be told the outcome of the review and any action plan. If you are unhappy with how the case review was carried out, you can ask for the decision to be looked at again; the letter giving you the outcome explains how.`},
}
