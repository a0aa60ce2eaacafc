"""Realistic (invented) news stories for the ingestion tests and docs/ingestion.md.

Written for these tests: a wire story, the same story as a second site runs it
(new headline, dateline and a few words changed, one sentence added, the last
paragraph cut), and other stories on the same topics that must stay distinct."""

from __future__ import annotations

# A wire story as the agency's own site publishes it.
WIRE_MACRON = """\
PARIS, March 5 - French President Emmanuel Macron said on Tuesday that the war in \
Ukraine could only end at the negotiating table, and urged China to use its influence \
with Moscow to bring Russia back to peace talks.

Speaking at the Elysee Palace after a meeting with Ukrainian Prime Minister Denys \
Shmyhal, Macron said France would keep delivering weapons and ammunition to Kyiv for as \
long as it takes, but that a lasting peace would require a political settlement that \
respects Ukraine's sovereignty and its internationally recognised borders.

"There will be no peace on the backs of Ukrainians, and there will be no victory for \
aggression," Macron told reporters. "We count on Beijing to make clear to Moscow that \
the threat of nuclear weapons is unacceptable."

The French leader is expected to travel to Beijing next month for talks with Chinese \
President Xi Jinping, his office said. French officials said the visit would focus on \
trade, climate and the war, and that Paris hoped China would press Russia to withdraw \
its troops.

Shmyhal thanked France for its support and said Kyiv needed more air defence systems \
before next winter. He said Ukraine was ready to discuss a just peace, but not a frozen \
conflict that would leave Russian forces on Ukrainian land.

The Kremlin did not immediately comment on Macron's remarks. Russian officials have \
repeatedly said that any settlement must take into account what they call the new \
territorial realities, a reference to the four regions Moscow claims to have annexed.

France has delivered Caesar howitzers, SCALP cruise missiles and armoured vehicles to \
Ukraine since the start of the full-scale invasion in February 2022, and has trained \
thousands of Ukrainian soldiers on French soil.
"""

# The same story as a second site runs it a few hours later.
SYNDICATED_MACRON = """\
Paris (Continental Wire) - French President Emmanuel Macron said Tuesday that the war in \
Ukraine could only end at the negotiating table, and urged China to use its influence \
with Moscow to bring Russia back to peace talks.

Speaking at the Elysee Palace after a meeting with Ukrainian Prime Minister Denys \
Shmyhal, Macron said France would continue delivering weapons and ammunition to Kyiv for \
as long as it takes, but that a lasting peace would require a political settlement that \
respects Ukraine's sovereignty and its internationally recognised borders.

"There will be no peace on the backs of Ukrainians, and there will be no victory for \
aggression," Macron told reporters. "We count on Beijing to make clear to Moscow that \
the threat of nuclear weapons is unacceptable."

The French leader is expected to travel to Beijing in April for talks with Chinese \
President Xi Jinping, the Elysee said. French officials said the visit would focus on \
trade, climate and the war, and that Paris hoped China would press Russia to withdraw \
its troops.

Shmyhal thanked France for its support and said Kyiv needed more air defence systems \
before next winter. He said Ukraine was ready to discuss a just peace, but not a frozen \
conflict that would leave Russian forces on Ukrainian land.

The Kremlin did not immediately comment on Macron's remarks. Russian officials have \
repeatedly said that any settlement must take into account what they call the new \
territorial realities, a reference to the four regions Moscow claims to have annexed.

Our correspondent in Kyiv reports that Ukrainian media gave the meeting wide coverage.
"""

# Another story on the same topic, the same week, from another outlet.
OTHER_FRANCE = """\
PARIS, March 7 - France will send a new package of military aid to Ukraine, including \
more SCALP cruise missiles and artillery shells, Defence Minister Sebastien Lecornu \
announced on Thursday, saying Paris would not let Russia win the war.

Lecornu told a press conference at the Hotel de Brienne that French factories had \
tripled their output of 155mm shells over the past year and that the first deliveries \
of the new package would reach Ukrainian units within weeks.

He said French President Emmanuel Macron had asked the government to speed up joint \
production projects with Ukrainian companies, including drones and armoured vehicles, \
and that a new coalition of European countries would finance part of the purchases.

Asked about negotiations, Lecornu said it was for Ukraine alone to decide when and on \
what terms to talk to Moscow. "Our role is to put Ukraine in the strongest possible \
position," he said, adding that the Kremlin showed no sign of wanting peace.

Opposition lawmakers criticised the cost of the package, which the ministry put at \
several hundred million euros, and asked for a debate in parliament before the summer. \
Polls show that a majority of French voters still back military support for Kyiv.
"""

# Beijing's position, from the same wire.
CHINA_WANG_YI = """\
BEIJING, March 6 - Chinese Foreign Minister Wang Yi said on Wednesday that China supports \
peace talks between Russia and Ukraine and called for a political settlement of the \
crisis, as Beijing prepares to host the French president next month.

Wang told a news conference on the sidelines of the annual session of parliament that \
dialogue and negotiation were the only viable way out. China would continue to play a \
constructive role and was ready to work with France to promote peace talks, he said.

Wang repeated that the sovereignty and territorial integrity of all countries should be \
respected, but declined to say whether that applied to the regions Russia claims to \
have annexed. Asked about Western sanctions on Russia, he said unilateral sanctions only \
made the situation worse.

Chinese special envoy Li Hui is due to visit several European capitals later this month \
to discuss the conflict, the foreign ministry said.
"""

# Moscow's answer.
KREMLIN_PESKOV = """\
MOSCOW, March 6 - The Kremlin said on Wednesday that there were no prospects for a \
peaceful settlement in Ukraine at this stage and that Russia's military operation would \
continue until its goals were achieved.

Kremlin spokesman Dmitry Peskov told reporters that Western weapons deliveries to Kyiv \
only prolonged the conflict. He said Moscow had noted the French president's remarks \
but saw no new ideas in them.

Peskov said Russia remained open to diplomacy in principle, but that any talks would \
have to recognise what he called the realities on the ground. Ukraine and its allies \
have rejected any deal that would leave Russian troops in occupied territory.

Russian forces pressed attacks in the east overnight, Ukraine's general staff said, and \
air raid alerts sounded across much of the country.
"""

# Kyiv's position, served in windows-1252 with typographic quotes.
UKRAINE_KULEBA = """\
KYIV, March 6 \u2013 Ukrainian Foreign Minister Dmytro Kuleba said on Wednesday that \
Ukraine would never accept the occupation of its territory and called on partners to \
speed up deliveries of air defence systems.

\u201cUkraine\u2019s sovereignty and territorial integrity are not up for negotiation,\u201d \
Kuleba told a news briefing in Kyiv. He welcomed the French president\u2019s remarks and \
said Kyiv counted on Paris to keep up its support.

Kuleba said Ukraine was ready for peace talks based on its own peace formula, which \
calls for the full withdrawal of Russian troops. The Kremlin has rejected the plan.
"""
