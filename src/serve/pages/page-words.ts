/**
 * @module
 * The dashboard's fixed words in Japanese and English. Figures and their
 * formatting come from the report stage (`report/format.ts`), so a page
 * prints a number as the report does.
 */

export type PageLang = 'ja' | 'en';

export const WORDS = {
  ja: {
    site: 'teiten 定点観測', overview: '概況', ports: 'ポート', countries: '国・地域', ip: 'IP 検索', backscatter: 'DoS バックスキャッタ',
    scanners: 'スキャナ', findings: '注目点', period: '対象期間', previousPeriod: '比較期間', show: '表示', lookup: '検索',
    perDayPerAddress: '一日・1IP 当たりのアクセス件数', sourcesPerDay: '1日あたりの発信元数', packets: 'パケット数', sources: '発信元数',
    addressDays: 'アドレス日数', observedDays: '観測日数', change: '増減', changePct: '増減率', current: '今期', previous: '前期',
    rank: '順位', previousRank: '前期順位', share: '割合', increaseRank: '増加順位', decreaseRank: '減少順位', service: '宛先ポート',
    country: '国・地域', sensor: 'センサー', address: 'アドレス', daily: '日別推移', topPorts: '上位の宛先ポート', topCountries: '上位の発信元国・地域',
    none: 'データなし', firstSeen: '初観測', lastSeen: '最終観測', daysActive: '活動日数', tools: 'ツール', scanType: '走査種別',
    categories: 'シグネチャ分類', attacks: '攻撃', victim: '被害者', victims: '被害者', duration: '継続時間(秒)', protocol: 'プロトコル',
    windows: 'スキャン窓', addresses: 'アドレス数', servicesProbed: 'ポート数', finding: '内容', kind: '種類', error: 'エラー',
    sensors: 'センサー', language: 'English', api: 'API', item: '項目',
    reports: 'レポート', campaigns: 'キャンペーン', campaign: 'キャンペーン', linkedSources: 'キャンペーンに属する発信元', score: '根拠点', reasons: '根拠', signatures: 'シグネチャ', message: 'メッセージ', label: 'ラベル', credentials: '認証情報', lastHeartbeat: '最終ハートビート', lagSec: '遅延(秒)',
    operatingHours: '稼働時間(直近7日, 時間)', segments: 'セグメント', kernelDropped: 'カーネル廃棄/受信', agentDropped: 'エージェント廃棄',
    spoolDropped: 'スプール廃棄(セグメント/パケット)', sequenceGaps: '欠番', file: 'ファイル', format: '形式', bytes: 'バイト', written: '作成日時',
    noReports: '保存されたレポートはありません', live: 'ライブ: 直近60分の1分ごとのパケット数(棒)と発信元数(線)',
    liveNote: 'ライブグラフは JavaScript で描画されます(他のページは JavaScript なしで動作します)。',
    sensorsNote: 'コレクタが記録したセンサーの状態。遅延は最新の受信パケットからの経過時間、損失は各段階での廃棄数です。',
  },
  en: {
    site: 'teiten observatory', overview: 'Overview', ports: 'Ports', countries: 'Countries', ip: 'IP lookup', backscatter: 'DoS backscatter',
    scanners: 'Scanners', findings: 'Findings', period: 'Period', previousPeriod: 'Compared with', show: 'Show', lookup: 'Look up',
    perDayPerAddress: 'Accesses per day per address', sourcesPerDay: 'Sources per day', packets: 'Packets', sources: 'Sources',
    addressDays: 'Address-days', observedDays: 'Observed days', change: 'Change', changePct: 'Change %', current: 'This period', previous: 'Previous',
    rank: 'Rank', previousRank: 'Prev.', share: 'Share', increaseRank: 'Up', decreaseRank: 'Down', service: 'Port',
    country: 'Country', sensor: 'Sensor', address: 'Address', daily: 'Daily', topPorts: 'Top destination ports', topCountries: 'Top source countries',
    none: 'No data', firstSeen: 'First seen', lastSeen: 'Last seen', daysActive: 'Days active', tools: 'Tools', scanType: 'Scan type',
    categories: 'Signature categories', attacks: 'Attacks', victim: 'Victim', victims: 'Victims', duration: 'Duration (s)', protocol: 'Protocol',
    windows: 'Scanner windows', addresses: 'Addresses', servicesProbed: 'Ports', finding: 'Finding', kind: 'Kind', error: 'Error',
    sensors: 'Sensors', language: '日本語', api: 'API', item: 'Item',
    reports: 'Reports', campaigns: 'Campaigns', campaign: 'Campaign', linkedSources: 'Sources in a campaign', score: 'Score', reasons: 'Reasons', signatures: 'Signatures', message: 'Message', label: 'Label', credentials: 'Credentials', lastHeartbeat: 'Last heartbeat', lagSec: 'Lag (s)',
    operatingHours: 'Operating hours (last 7 days)', segments: 'Segments', kernelDropped: 'Kernel dropped / received', agentDropped: 'Agent dropped',
    spoolDropped: 'Spool dropped (segments / packets)', sequenceGaps: 'Sequence gaps', file: 'File', format: 'Format', bytes: 'Bytes', written: 'Written',
    noReports: 'No reports archived', live: 'Live: packets (bars) and sources (line) per minute, last 60 minutes',
    liveNote: 'The live chart is drawn with JavaScript (every other page works without it).',
    sensorsNote: 'Sensor health as the collector recorded it. Lag is the time since the newest packet received; losses are drops at each stage.',
  },
} as const satisfies Record<PageLang, Record<string, string>>;
