import type { Random } from '../shared/random.js';

/**
 * Name parts for plausible Hong Kong companies and people, each in English and Traditional Chinese.
 * Company names are built as brand + line of business + legal suffix, e.g.
 * "Harbour Link Logistics Ltd" / "港聯物流有限公司"; people follow the local habit of an English given name
 * before the romanised Cantonese name ("Karen Chan Mei Ling" / "陳美玲"), or no English name at all.
 * Emails use the reserved `.example` top-level domain so the demo can never write to a real mailbox.
 */
export type Bilingual = readonly [en: string, zh: string];

const brandHeads: readonly Bilingual[] = [
  ['Harbour', '港'],
  ['Pacific', '太平洋'],
  ['Golden', '金'],
  ['Jade', '翠'],
  ['Oriental', '東方'],
  ['Dragon', '龍'],
  ['Victoria', '維港'],
  ['Kowloon', '九龍'],
  ['Pearl', '明珠'],
  ['Lucky', '利'],
  ['Wing', '永'],
  ['Grand', '宏'],
  ['Everbright', '光大'],
  ['Lion Rock', '獅子山'],
  ['Silver', '銀'],
  ['Sun', '新'],
  ['Eastern', '東'],
  ['Great Wall', '長城'],
  ['Phoenix', '鳳凰'],
  ['Crystal', '晶'],
  ['Prosper', '興'],
  ['Tai Hing', '大興'],
  ['Kam Fung', '金豐'],
  ['Wah Fat', '華發'],
  ['Hop Shing', '合成'],
  ['Man Kee', '文記'],
  ['Lung Cheong', '龍昌'],
  ['Sino', '華'],
  ['Asia', '亞洲'],
  ['Rising', '昇'],
  ['Blue Sky', '藍天'],
  ['Ever', '恒'],
];

const brandTails: readonly Bilingual[] = [
  ['Link', '聯'],
  ['Star', '星'],
  ['Ocean', '洋'],
  ['Bridge', '橋'],
  ['Gate', '門'],
  ['Union', '聯合'],
  ['Fortune', '福'],
  ['Rich', '富'],
  ['Win', '勝'],
  ['Way', '達'],
  ['Tech', '科技'],
  ['Wealth', '財'],
  ['Power', '力'],
  ['Glory', '輝'],
  ['Peak', '峰'],
  ['Hope', '望'],
  ['Source', '源'],
  ['Bay', '灣'],
  ['Crown', '冠'],
  ['Time', '時'],
  ['Luck', '運'],
  ['Trend', '潮'],
  ['Unity', '和'],
  ['Field', '田'],
];

/** Lines of business a company name can carry; `trade` says which industry pack uses it. */
export interface BusinessLine {
  readonly name: Bilingual;
  /** What a shipper of this line ships (freight packs) or what a fleet of this line drives (automotive). */
  readonly commodity: string;
}

export const freightShipperLines: readonly BusinessLine[] = [
  { name: ['Electronics', '電子'], commodity: 'consumer electronics' },
  { name: ['Garment', '製衣'], commodity: 'garments' },
  { name: ['Toys', '玩具'], commodity: 'toys' },
  { name: ['Furniture', '傢俬'], commodity: 'furniture' },
  { name: ['Watch', '鐘錶'], commodity: 'watches' },
  { name: ['Printing', '印刷'], commodity: 'printed matter' },
  { name: ['Plastics', '塑膠'], commodity: 'plastic products' },
  { name: ['Household Products', '家品'], commodity: 'household goods' },
  { name: ['Lighting', '燈飾'], commodity: 'LED lighting' },
  { name: ['Machinery', '機械'], commodity: 'machinery parts' },
  { name: ['Trading', '貿易'], commodity: 'general merchandise' },
  { name: ['Textiles', '紡織'], commodity: 'textiles' },
  { name: ['Packaging', '包裝'], commodity: 'packaging materials' },
  { name: ['Hardware', '五金'], commodity: 'hardware' },
];

export const freightConsigneeLines: readonly BusinessLine[] = [
  { name: ['Trading', '貿易'], commodity: 'general merchandise' },
  { name: ['Food', '食品'], commodity: 'foodstuffs' },
  { name: ['Wine', '洋酒'], commodity: 'wine' },
  { name: ['Cosmetics', '化妝品'], commodity: 'cosmetics' },
  { name: ['Auto Parts', '汽車零件'], commodity: 'auto parts' },
  { name: ['Medical Supplies', '醫療用品'], commodity: 'medical supplies' },
];

export const fleetLines: readonly BusinessLine[] = [
  { name: ['Logistics', '物流'], commodity: 'delivery vans' },
  { name: ['Limousine', '豪華轎車'], commodity: 'hire cars' },
  { name: ['Property Management', '物業管理'], commodity: 'staff cars' },
  { name: ['Engineering', '工程'], commodity: 'site vehicles' },
  { name: ['Catering', '飲食'], commodity: 'delivery vans' },
  { name: ['Travel', '旅遊'], commodity: 'coaches' },
  { name: ['Security', '保安'], commodity: 'patrol cars' },
];

const suffixes: readonly Bilingual[] = [
  ['Ltd', '有限公司'],
  ['Limited', '有限公司'],
  ['Company Limited', '有限公司'],
  ['(HK) Limited', '(香港)有限公司'],
  ['(Hong Kong) Co., Ltd.', '(香港)有限公司'],
];

/** Where a group's subsidiaries sit; the suffix follows the place's usual company form. */
const regions: readonly { name: Bilingual; suffix: Bilingual }[] = [
  { name: ['Hong Kong', '香港'], suffix: ['(Hong Kong) Limited', '(香港)有限公司'] },
  { name: ['Shenzhen', '深圳'], suffix: ['(Shenzhen) Co., Ltd.', '(深圳)有限公司'] },
  { name: ['Dongguan', '東莞'], suffix: ['(Dongguan) Co., Ltd.', '(東莞)有限公司'] },
  { name: ['Guangzhou', '廣州'], suffix: ['(Guangzhou) Co., Ltd.', '(廣州)有限公司'] },
  { name: ['Macau', '澳門'], suffix: ['(Macau) Limited', '(澳門)有限公司'] },
  { name: ['Vietnam', '越南'], suffix: ['(Vietnam) Co., Ltd.', '(越南)有限公司'] },
  { name: ['Malaysia', '馬來西亞'], suffix: ['(Malaysia) Sdn. Bhd.', '(馬來西亞)有限公司'] },
  { name: ['Singapore', '新加坡'], suffix: ['(Singapore) Pte. Ltd.', '(新加坡)有限公司'] },
  { name: ['Taiwan', '台灣'], suffix: ['(Taiwan) Co., Ltd.', '(台灣)有限公司'] },
  { name: ['Thailand', '泰國'], suffix: ['(Thailand) Co., Ltd.', '(泰國)有限公司'] },
];

export interface Brand {
  readonly en: string;
  readonly zh: string;
  /** Lower-case letters only, for email domains. */
  readonly slug: string;
}

export function brand(rng: Random): Brand {
  const head = rng.pick(brandHeads);
  let tail = rng.pick(brandTails);
  while (tail[0] === head[0]) tail = rng.pick(brandTails);
  const en = `${head[0]} ${tail[0]}`;
  return { en, zh: `${head[1]}${tail[1]}`, slug: en.toLowerCase().replace(/[^a-z]/g, '') };
}

export interface CompanyName {
  readonly en: string;
  readonly zh: string;
  readonly domain: string;
}

export function companyName(rng: Random, line: BusinessLine, ofBrand: Brand = brand(rng)): CompanyName {
  const suffix = rng.pick(suffixes);
  return {
    en: `${ofBrand.en} ${line.name[0]} ${suffix[0]}`,
    zh: `${ofBrand.zh}${line.name[1]}${suffix[1]}`,
    domain: `${ofBrand.slug}.example`,
  };
}

/** A group's regional subsidiary: "Pacific Star Electronics (Shenzhen) Co., Ltd." / "太平洋星電子(深圳)有限公司". */
export function subsidiaryName(rng: Random, line: BusinessLine, group: Brand): CompanyName & { region: string } {
  const region = rng.pick(regions);
  return {
    en: `${group.en} ${line.name[0]} ${region.suffix[0]}`,
    zh: `${group.zh}${line.name[1]}${region.suffix[1]}`,
    domain: `${group.slug}.example`,
    region: region.name[0],
  };
}

export function groupHeadName(group: Brand, variant: number): CompanyName {
  const forms: readonly Bilingual[] = [
    ['Group Limited', '集團有限公司'],
    ['Holdings Limited', '控股有限公司'],
    ['Group Holdings Ltd', '集團控股有限公司'],
  ];
  const form = forms[variant % forms.length] ?? forms[0]!;
  return { en: `${group.en} ${form[0]}`, zh: `${group.zh}${form[1]}`, domain: `${group.slug}.example` };
}

// Common Hong Kong surnames with their Cantonese romanisation.
const surnames: readonly Bilingual[] = [
  ['Chan', '陳'],
  ['Lee', '李'],
  ['Cheung', '張'],
  ['Wong', '黃'],
  ['Ho', '何'],
  ['Lam', '林'],
  ['Leung', '梁'],
  ['Ng', '吳'],
  ['Lau', '劉'],
  ['Choi', '蔡'],
  ['Cheng', '鄭'],
  ['Yeung', '楊'],
  ['Hui', '許'],
  ['Tang', '鄧'],
  ['Fung', '馮'],
  ['Tsang', '曾'],
  ['Tse', '謝'],
  ['Kwok', '郭'],
  ['Law', '羅'],
  ['Chow', '周'],
  ['Mak', '麥'],
  ['Yip', '葉'],
  ['Yuen', '袁'],
  ['Chu', '朱'],
  ['Siu', '蕭'],
  ['Poon', '潘'],
  ['Yu', '余'],
  ['Pang', '彭'],
  ['Lo', '盧'],
  ['Ma', '馬'],
  ['Tam', '譚'],
  ['Chung', '鍾'],
  ['Kwan', '關'],
  ['Mok', '莫'],
  ['Sze', '施'],
  ['Ip', '葉'],
];

const givenMale: readonly Bilingual[] = [
  ['Wai', '偉'],
  ['Ming', '明'],
  ['Chi', '志'],
  ['Keung', '強'],
  ['Ka', '家'],
  ['Chun', '俊'],
  ['Man', '文'],
  ['Kit', '傑'],
  ['Ho', '浩'],
  ['Tsz', '子'],
  ['Tak', '德'],
  ['Wah', '華'],
  ['Kwok', '國'],
  ['Kin', '健'],
  ['Fung', '峰'],
  ['Fai', '輝'],
  ['Wing', '永'],
  ['Lok', '樂'],
  ['Long', '朗'],
  ['Hin', '軒'],
  ['Yiu', '耀'],
  ['Shing', '成'],
];

const givenFemale: readonly Bilingual[] = [
  ['Mei', '美'],
  ['Ling', '玲'],
  ['Ka', '嘉'],
  ['Yan', '欣'],
  ['Sze', '詩'],
  ['Wai', '慧'],
  ['Wing', '穎'],
  ['Ting', '婷'],
  ['Nga', '雅'],
  ['Lai', '麗'],
  ['Fong', '芳'],
  ['Sau', '秀'],
  ['Ying', '英'],
  ['Man', '敏'],
  ['Pui', '佩'],
  ['Chui', '翠'],
  ['Hiu', '曉'],
  ['Ching', '晴'],
  ['Yee', '儀'],
  ['Kei', '琪'],
];

const englishMale = [
  'Alex',
  'Andy',
  'Ben',
  'Brian',
  'Calvin',
  'Daniel',
  'Eric',
  'Gary',
  'Henry',
  'Ivan',
  'Jacky',
  'Jason',
  'Kelvin',
  'Kenneth',
  'Leo',
  'Matthew',
  'Michael',
  'Patrick',
  'Peter',
  'Raymond',
  'Sam',
  'Terence',
  'Tony',
  'Vincent',
  'Wilson',
] as const;

const englishFemale = [
  'Alice',
  'Angel',
  'Carmen',
  'Cherry',
  'Christy',
  'Connie',
  'Doris',
  'Eva',
  'Fiona',
  'Grace',
  'Helen',
  'Irene',
  'Jenny',
  'Joanne',
  'Karen',
  'Kitty',
  'Mandy',
  'Natalie',
  'Peggy',
  'Queenie',
  'Rachel',
  'Sharon',
  'Stephanie',
  'Vivian',
  'Winnie',
] as const;

export interface PersonName {
  /** Display form in English, e.g. "Karen Chan Mei Ling" or "Chan Tai Man". */
  readonly en: string;
  /** Chinese form, e.g. "陳美玲". */
  readonly zh: string;
  /** Short English form for emails and contacts, e.g. "Karen Chan". */
  readonly short: string;
  readonly localPart: string;
}

export function personName(rng: Random): PersonName {
  const female = rng.chance(0.5);
  const surname = rng.pick(surnames);
  const given = female ? givenFemale : givenMale;
  const first = rng.pick(given);
  let second = rng.pick(given);
  while (second[0] === first[0]) second = rng.pick(given);
  const romanised = `${first[0]} ${second[0]}`;
  const zh = `${surname[1]}${first[1]}${second[1]}`;
  if (rng.chance(0.65)) {
    const english = rng.pick(female ? englishFemale : englishMale);
    return {
      en: `${english} ${surname[0]} ${romanised}`,
      zh,
      short: `${english} ${surname[0]}`,
      localPart: `${english}.${surname[0]}`.toLowerCase(),
    };
  }
  return {
    en: `${surname[0]} ${romanised}`,
    zh,
    short: `${surname[0]} ${romanised}`,
    localPart: `${surname[0]}.${first[0]}${second[0]}`.toLowerCase(),
  };
}

/** A Hong Kong mobile number (8 digits starting 5, 6 or 9), in E.164 as the data bank stores phones. */
export function mobilePhone(rng: Random): string {
  const first = rng.pick(['5', '6', '9'] as const);
  return `+852${first}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}

/** A Hong Kong fixed-line office number (8 digits starting 2 or 3), in E.164. */
export function officePhone(rng: Random): string {
  const first = rng.pick(['2', '3'] as const);
  return `+852${first}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}

export function personalEmail(rng: Random, name: PersonName): string {
  const provider = rng.pick(['mail.example', 'netvigator.example', 'inbox.example'] as const);
  return `${name.localPart.replace(/\s+/g, '')}${rng.int(1, 99)}@${provider}`;
}
