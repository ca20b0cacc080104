"""Build analysis/resources/policy_terms.tsv: the policy dictionary for the segmenter.

Six sources are merged (each is described, with its licence, in analysis/resources/SOURCES.md):

* ``gwr-discovery``: new-word discovery on 43 national government work reports (1954-2015,
  public domain) followed by a hand review (``GWR_ACCEPT`` below lists what the reviewer kept;
  every accepted term must still come out of the discovery run, otherwise the build fails);
* ``agency-pattern``: local government agency short names, generated from prefixes
  (省/市/县/区) x abbreviation stems x the suffix each stem really takes at that level;
* ``curated-agency``: national bodies (full and common short names);
* ``curated-national`` / ``curated-hunan``: post-2015 national formulations and Hunan
  provincial formulations, hand-entered from official documents (public domain);
* ``numeral-pattern``: "N大攻坚"-type count formulations from a small pattern.

Output lines are ``term<TAB>freq<TAB>pos<TAB>source_id``, sorted by term.  ``freq`` is the
jieba frequency that keeps the term whole: max(20000, the term's frequency in jieba's own
dictionary, what ``Tokenizer.suggest_freq`` says is needed once all terms are loaded).

Run from the repository root (takes about 15 seconds)::

    python benchmarks/tools/build_policy_dict.py
    python benchmarks/tools/build_policy_dict.py --dump-candidates /tmp/gwr_candidates.tsv
"""

from __future__ import annotations

import argparse
import collections
import logging
import math
import pathlib
import re
import sys

import jieba
import opencc

REPO = pathlib.Path(__file__).resolve().parents[2]
TRAILER = "\n本作品是中华人民共和国的"  # Wikisource licence trailer at the end of every report
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
BASE_FREQ = 20000

# ---------------------------------------------------------------------------------------------
# Discovery parameters
# ---------------------------------------------------------------------------------------------
MIN_LEN, MAX_LEN = 2, 8
MIN_COUNT = 3  # occurrences in the whole corpus
MIN_PMI = 3.0  # natural log of min over split points of p(w) / (p(a) p(b))
MIN_ENTROPY = 1.0  # min(left, right) branching entropy, nats; a run edge counts as unique
MIN_BOUNDARY = 0.3  # share of occurrences that start and end on a jieba (HMM off) word boundary

# A candidate may not start or end with these characters (function characters, units, time).
FUNC_CHARS = set(
    "的了和与及在是等对把被从为以之其这那各要将而并"
    "或也都就还又使由于向给所着过但则更很再已即乃若如个们"
)
BAD_START = set("比年万亿次型项到增上下中后前时来多每某该此本我你他它们")
BAD_END = set("下上内来中后前时年起多地得着到向给每某该此我你他")
NUMERAL_RUN = re.compile("[零〇一二三四五六七八九十百千万亿两]{2,}")
# A candidate whose jieba (HMM off) tokens include one of these is a phrase, not a term
# (except 党的…).
JUNK_TOKENS = set(
    """的 和 与 及 了 地 得 是 在 对 把 被 从 向 为 以 同 或 并 等 有 不 没有 我们 他们 必须 已经
    能够 一定 可能 需要 就是 比较 应该 应当 得到 取得 要 将 会 都 也 还 又 再 更 很 较 最""".split()
)
# A candidate whose first or last jieba token is one of these is a verb phrase or a phrase
# with generic filler ("加快推进…", "…工作", "…方面"), not a term.
EDGE_TOKENS = set(
    """加强 提高 继续 推进 进行 坚持 进一步 促进 加快 实现 努力 完善 实行 建立 解决 实施 逐步
    达到 完成 维护 保持 增强 采取 发挥 保证 做好 推动 不断 鼓励 巩固 开展 加大 提出 认真 切实
    引导 搞好 重视 改进 形成 执行 深入 争取 注意 突出 有利于 加以 抓紧 贯彻 作出 充分 抓好 强化
    推行 做到 确保 注重 办好 统筹 提升 着力 大力 积极 扎实 全力 持续 深化 健全 构建 打造 优化
    落实 更加 坚决 稳步 尽快 大幅度 适当 合理 迅速 基本 初步 主要 重要 重大 明显 较大 较快 很大
    良好 有力 有效 有关 一些 一批 各项 各种 大量 广大 全体 部分 整个 不少 许多 各级 当前 今年
    明年 去年 今后 目前 现在 同时 方面 工作 问题 情况 任务 措施 方针 政策 作用 进展 成绩 成就
    水平 能力 力度 步伐""".split()
)

# Hand review of the discovery output (reviewed: all candidates of the default run, ranked by
# count).  Kept: fixed policy terms, programmes, institutions, statistics, formulations.
# Rejected (everything else): compositional phrases (农业生产, 人民生活, 世界各国), verb phrases
# (扩大消费需求, 调整经济结构), fragments (世纪海上丝绸之路 from "21世纪…"), speech formulae
# (请予审议, 周总理说), numbers and dates; also verb + object slogans (扩大对外开放,
# 反对霸权主义, 防范金融风险) and generic filler (体制机制, 发展方式).
GWR_ACCEPT = """
一般性转移支付 三大改造 三大革命运动 三条保障线 三江源 三河三湖 三网融合 东盟自贸区 东部地区
东部地区率先发展 两岸关系和平发展 两条腿走路 主体功能区 主体责任 主辅分离 九年制义务教育
乡镇卫生院 乡镇机构改革 事业单位分类改革 互不干涉内政 互利共赢 人口自然增长率 人居环境
人才强国战略 人才队伍建设 人民内部矛盾 人民当家作主 人民币汇率 人民民主 人民民主专政
人民民主统一战线 住房保障 住房公积金 住房租赁 住房租赁市场 价格形成机制 价格改革 企业事业单位
企业兼并重组 企业办社会 企业技术改造 企业集团 优抚安置 低保对象 低收入群体 供销合作社 依法治军
保值增值 保障性住房 保障性安居工程 信息化建设 全口径 全国各族人民 全国社会保障基金 全方位外交
全民所有制 全民所有制企业 全面建成小康社会 全面建设小康社会 全面推进依法行政 全面深化改革
公务员制度 公务用车制度改革 公共文化服务体系 公共财政体系 公司法人治理结构 公民道德建设
公益性文化事业 公私合营企业 兴边富民行动 兼并重组 内生动力 军事战略方针 军事斗争准备
军政军民团结 农业八字宪法 农业合作化 农业合作社 农业总产值 农业技术推广 农业机械化 农业特产税
农业生产合作社 农业生产资料 农业综合开发 农业综合生产能力 农业转移人口 农业面源污染
农产品质量安全 农家书屋 农机具购置补贴 农村义务教育 农村人民公社 农村信用社改革 农村危房改造
农村富余劳动力 农村扶贫开发 农村税费改革 农村综合改革 农民专业合作社 农民人均纯收入 农民增收
农田基本建设 农田水利建设 出口信用保险 出口退税 创新驱动 创新型国家 助学贷款 劳动力市场
劳动合同法 劳动密集型产业 化学需氧量 北京奥运会 医疗保障制度 医疗卫生服务体系 医疗救助制度
医药卫生体制改革 区域协调发展 南水北调工程 原始创新 原材料工业 厂务公开 厂长负责制 反腐倡廉建设
反腐败斗争 反恐维稳 反革命分子 可再生能源 可持续发展 合作共赢 周边外交 哲学社会科学 四个现代化
国内生产总值 国务院机构改革 国家公务员 国家助学制度 国家基本药物制度 国家安全 国家工作人员
国家权力机关 国家行政机关 国家资本主义 国家预算 国有企业改革 国有商业银行 国有大中型企业
国有资产管理 国有资产管理体制 国有资本经营预算 国民生产总值 国民经济计划 国防科技工业 国际竞争力
国际金融危机 土地利用总体规划 土地征收 土地承包经营权 土地整治 地方政府 地方政府性债务 城乡低保
城乡居民大病保险 城乡居民收入 城市公用事业 城镇新增就业 城镇登记失业率 基层医疗卫生机构 基层民主
基本建设投资 基础研究 基础设施建设 外向型经济 外商投资企业 外商直接投资 天津滨海新区
天然林保护工程 失业保险 失业保险制度 失职渎职 宏观审慎管理 宏观调控体系 定向调控 宗教事务条例
宗教极端势力 实体经济 家庭承包经营 家庭经济困难学生 家庭美德 家电下乡 寄宿制学校 小型微型企业
小微企业 少数民族地区 少生快富工程 手工业总产值 工业总产值 工农业总产值 工商行政管理
工资正常增长机制 市场体系 市场多元化战略 市场经济秩序 广义货币 广播影视 应保尽保 应对气候变化
应急预案 廉洁政府 开放型经济 循环经济 思想道德建设 户籍制度改革 手工业生产合作社 扩大企业自主权
扶贫攻坚 承包经营责任制 批林批孔运动 投融资体制改革 投资体制改革 投资环境 探月工程 收入分配
收入分配制度 收入分配制度改革 收支两条线 政事分开 政务公开 政府性基金预算 政府机构改革
政府职能转变 政府自身建设 政府采购 政治体制改革 政社分开 政策性银行 政绩工程 教育公平
文化惠民工程 文化体制改革 新兴经济体 新农村建设 新型城镇化 新能源汽车 无产阶级专政
无产阶级国际主义 无党派民主人士 普通高等学校 最低工资制度 最低收购价 最低生活保障
最低生活保障制度 服务型政府 服务外包 服务贸易 机关事业单位 村民自治 杂交水稻 棚户区改造
森林覆盖率 横向经济联合 民主政治 民主政治建设 民主法制建设 民族区域自治 民族区域自治法 民族地区
民族团结进步 民族自治地方 民族资产阶级 民间投资 民间资本 汶川特大地震 水污染防治 污染防治
法人治理结构 流动性过剩 流通体制改革 清洁生产 清洁能源 激励约束机制 灾后恢复重建 物联网 环保产业
现代企业制度 现代服务业 现代物流 现代职业教育体系 生态补偿机制 生产性服务业 生产责任制
生产资料所有制 生产资料私有制 生产要素 生态文明 生态文明建设 生态环境保护 生育保险制度 病险水库
知识产权保护 社会中介机构 社会主义事业 社会主义初级阶段 社会主义制度 社会主义市场经济
社会主义改造 社会主义政治文明 社会主义教育运动 社会主义民主 社会主义民主政治 社会主义法制
社会主义物质文明 社会主义现代化 社会主义工业化 社会主义精神文明 社会主义计划经济 社会主义道路
社会主义阵营 社会主义革命 社会保险基金 社会保障体系 社会保障制度 社会保障基金 社会信用体系
社会公平正义 社会力量办学 社会化服务体系 社会商品零售总额 社会团体 社会救助 社会救助体系
社会治安综合治理 社会治安防控体系 社会生产力 社会福利事业 社会购买力 社区卫生服务
社区卫生服务中心 祖国和平统一 祖国完全统一 祖国统一大业 科学发展观 科技体制改革 科技创新
科技成果转化 科技重大专项 种粮农民 税收优惠 税收征管 突发公共事件 突发公共卫生事件 竞技体育
第一个五年计划 第一要务 第七个五年计划 第二个五年计划 第六个五年计划 第三世界国家 粮食主产区
粮食总产量 粮食最低收购价 粮食流通体制改革 粮食直补 精神文明建设 约束性指标 细颗粒物
经济体制改革 经济全球化 经济下行压力 经济增长方式 经济持续健康发展 经济社会发展 经济结构调整
经济责任制 经济适用住房 结构性减税 绩效工资 综合交通运输体系 综合平衡 综合配套改革 群体性事件
耕地保护 职业教育 职业技术教育 职工代表大会 职工基本养老保险 股份制改造 股份制改革 自主创新
自主品牌 节水灌溉 节能产品惠民工程 节能减排 节能环保 节能环保产业 良种补贴 营改增 补短板
行政事业性收费 行政审批 行政执法 行政法规 行政管理体制改革 行政许可法 行政问责制 西气东输
西部地区 西部大开发 西电东送 装备制造业 订单农业 计划收购 财税体制改革 货币供应量 货物周转量
贫农下中农 贸易保护主义 贸易摩擦 资产阶级右派分子 资产阶级自由化 资本主义工商业 资本市场
资源性产品价格 资源综合利用 赤字率 走出去 跨越式发展 转变经济发展方式 转变经济增长方式 转型升级
转方式调结构 轻纺工业 载人航天 进出口总额 连锁经营 适度规模经营 重复建设 重点实验室 重特大事故
金融体制改革 金融创新 镇压反革命 长期建设国债 防沙治沙 防灾减灾 集成创新 集体林权制度改革
零就业家庭 雾霾 非公有制企业 非公有制经济 非化石能源 预备役部队 预算外资金 食品药品安全
高技能人才 高技术产业 高新技术产业 高新技术产业化 高标准农田 高校毕业生 高端装备制造
临时救助制度 党的基本路线
""".split()

# ---------------------------------------------------------------------------------------------
# Agency names
# ---------------------------------------------------------------------------------------------
# Each row: abbreviation as used after a level prefix, and the prefixes that really use it.
# 省 = province (厅/委/局), 市 = prefecture- or county-level city, 县 = county, 区 = district.
# Party and mass organisations use 团X委 (团省委, 团市委), handled separately.
AGENCY_TABLE = """
发改委 省 市
发改局 市 县 区
工信厅 省
工信局 市 县 区
科工局 市
教育厅 省
教育局 市 县 区
科技厅 省
科技局 市 县 区
民政厅 省
民政局 市 县 区
司法厅 省
司法局 市 县 区
财政厅 省
财政局 市 县 区
人社厅 省
人社局 市 县 区
自然资源厅 省
自然资源局 市 县 区
自然资源和规划局 市 县 区
生态环境厅 省
生态环境局 市
住建厅 省
住建局 市 县 区
交通运输厅 省
交通运输局 市 县 区
水利厅 省
水利局 市 县 区
农业农村厅 省
农业农村局 市 县 区
商务厅 省
商务局 市 县 区
文旅厅 省
文旅局 市 县 区
文旅广体局 市 县 区
卫健委 省 市
卫健局 市 县 区
退役军人事务厅 省
退役军人事务局 市 县 区
应急管理厅 省
应急管理局 市 县 区
审计厅 省
审计局 市 县 区
国资委 省 市
市场监管局 省 市 县 区
统计局 省 市 县 区
医保局 省 市 县 区
林业局 省 市 县 区
数据局 省 市
信访局 省 市 县 区
人防办 省 市 县 区
公安厅 省
公安局 市 县
公安分局 区
税务局 省 市 县 区
城管局 市 县 区
城管执法局 市 县 区
行政审批服务局 市 县 区
政务服务中心 市 县 区
乡村振兴局 省 市 县 区
民宗委 省
民宗局 市 县 区
外办 省 市
广电局 省
体育局 省 市
能源局 省
药监局 省
政府办 市 县 区
政府办公厅 省
委办公厅 省
委办 市 县 区
纪委监委 省 市 县 区
委组织部 省 市 县 区
委宣传部 省 市 县 区
委统战部 省 市 县 区
委政法委 省 市 县 区
委编办 省 市 县 区
委网信办 省 市 县 区
人大常委会 省 市 县 区
政协 省 市 县 区
高院 省
中院 市
法院 县 区
检察院 省 市 县 区
残联 省 市 县 区
妇联 省 市 县 区
总工会 省 市 县 区
工商联 省 市 县 区
科协 省 市 县 区
国防动员办 省 市 县 区
人武部 县 区
"""
# Bare abbreviations also kept as terms (they occur after a place name: 邵阳市发改委).
AGENCY_BARE = """
发改委 发改局 工信厅 工信局 科工局 人社厅 人社局 住建厅 住建局 卫健委 卫健局 文旅厅 文旅局
文旅广体局 自然资源局 自然资源和规划局 生态环境局 生态环境厅 农业农村局 农业农村厅 交通运输局
交通运输厅 退役军人事务局 应急管理局 应急管理厅 市场监管局 医保局 数据局 城管局 城管执法局
行政审批服务局 政务服务中心 乡村振兴局 民宗委 民宗局 纪委监委 国防动员办 生态环境分局 公安分局
税务分局
""".split()
YOUTH_LEAGUE = ["团省委", "团市委", "团县委", "团区委"]

# National bodies: State Council departments and agencies after the 2023 reform, central Party
# and state organs, and the names still current in documents of the last decade.
CURATED_AGENCY = """
国家发展和改革委员会 国家发展改革委 国家发改委 工业和信息化部 工信部 科学技术部 科技部
国家民族事务委员会 国家民委 人力资源和社会保障部 人社部 自然资源部 生态环境部 住房和城乡建设部
住建部 住房城乡建设部 交通运输部 农业农村部 文化和旅游部 文旅部 国家卫生健康委员会
国家卫生健康委 国家卫健委 退役军人事务部 应急管理部 国务院国有资产监督管理委员会 国务院国资委
国家税务总局 国家市场监督管理总局 市场监管总局 国家金融监督管理总局 金融监管总局
中国证券监督管理委员会 中国证监会 国家广播电视总局 广电总局 国家体育总局 国家信访局
国家知识产权局 国家国际发展合作署 国家医疗保障局 国家医保局 国家机关事务管理局 国家数据局
国家粮食和物资储备局 国家能源局 国家国防科技工业局 国家烟草专卖局 国家移民管理局
国家林业和草原局 国家林草局 国家铁路局 中国民用航空局 中国民航局 国家邮政局 国家文物局
国家中医药管理局 国家疾病预防控制局 国家疾控局 国家矿山安全监察局 国家消防救援局 国家外汇管理局
国家药品监督管理局 国家药监局 国家乡村振兴局 国家网信办 中央网信办 国家互联网信息办公室
国务院办公厅 国务院研究室 国务院港澳事务办公室 国务院台湾事务办公室 国务院发展研究中心
国务院扶贫办 中国气象局 中国地震局 国家航天局 国家原子能机构 国家统计局 国家监察委员会
中央纪委国家监委 中央全面深化改革委员会 中央财经委员会 中央农村工作领导小组 中央军委 全国政协
中国银保监会 中国银行保险监督管理委员会 国家安全部 民政部 司法部 水利部 商务部 教育部 公安部
审计署 海关总署 中国人民银行 中国社会科学院 中国工程院 中国科学院 国家开发银行 中国进出口银行
中国农业发展银行 供销合作总社 中华全国供销合作总社 中华全国总工会 中华全国妇女联合会
中国残疾人联合会 中华全国工商业联合会 中国科学技术协会 共青团中央 国家税务总局湖南省税务局
湖南省人民政府 湖南省发展和改革委员会
""".split()

# Formulations of national policy after the end of the mined corpus (2016 onwards), entered by
# hand from the State Council government work reports 2016-2025, the reports to the 19th and
# 20th Party congresses and the 14th Five-Year Plan outline.  Grouped by part of speech.
CURATED_NATIONAL_NZ = """
放管服 放管服改革 两不愁三保障 双循环 六稳 六保 三去一降一补 双随机一公开 证照分离 多证合一
一网通办 一网统管 一件事一次办 高效办成一件事 跨省通办 最多跑一次 一次办好 两学一做 三严三实
四个意识 四个自信 两个维护 两个确立 四个全面 五位一体 四风 双减 双碳 双创 大众创业万众创新
一带一路 一国两制 两个一百年 十三五 十四五 十五五 三大攻坚战 三权分置 一老一小 菜篮子 米袋子
""".split()
CURATED_NATIONAL_N = """
营商环境 高质量发展 中西部地区 农文旅融合 专精特新 专精特新小巨人
乡村振兴 新质生产力 供给侧结构性改革 新发展格局 新发展理念 新发展阶段 国内大循环
国内国际双循环 全国统一大市场 精准扶贫 精准脱贫 脱贫攻坚 脱贫攻坚战
防止返贫 防止规模性返贫 易地扶贫搬迁 驻村第一书记 碳达峰 碳中和 共同富裕
中国式现代化 全过程人民民主 总体国家安全观 人类命运共同体 中华民族伟大复兴
习近平新时代中国特色社会主义思想 新时代 中国梦 社会主义现代化强国 第二个百年奋斗目标
四个全面战略布局 五位一体总体布局 粤港澳大湾区 长江经济带 京津冀协同发展 长三角一体化
中部地区崛起 成渝地区双城经济圈 黄河流域生态保护和高质量发展 减税降费 制度性交易成本 市场主体
保市场主体 稳就业 数字经济 数字政府 数字中国 数字化转型 数字乡村 智能制造 工业互联网 大数据
云计算 区块链 新型基础设施 新基建 专项债 专项债券 地方政府专项债券 超长期特别国债 隐性债务
地方政府隐性债务 首台套 链长制 产业链供应链 强链补链 链主企业 河长制 湖长制 林长制 田长制
垃圾分类 厕所革命 蓝天保卫战 污染防治攻坚战 生态保护红线 永久基本农田 耕地保护红线
粮食安全党政同责 新型农业经营主体 家庭农场 农村集体产权制度改革 农村人居环境整治 美丽乡村
和美乡村 特色小镇 城市更新 老旧小区改造 保障性租赁住房 租购并举 房住不炒 普惠托育 医养结合
长期护理保险 家庭医生签约服务 分级诊疗 医联体 医共体 集中带量采购 健康中国 立德树人 产教融合
校企合作 就业优先政策 灵活就业 新就业形态 以工代赈 个人养老金 平安中国 法治中国 法治政府
扫黑除恶 扫黑除恶专项斗争 枫桥经验 新时代枫桥经验 网格化管理 基层治理 告知承诺制 包容审慎监管
负面清单 市场准入负面清单 权力清单 责任清单 公平竞争审查 要素市场化配置 混合所有制改革
自由贸易试验区 自贸试验区 海南自由贸易港 中欧班列 跨境电商 跨境电子商务综合试验区
中国国际进口博览会 进博会 高水平对外开放 制度型开放 西部陆海新通道 都市圈 城市群 县域经济
四上企业 规模以上工业 规上工业 规模以上工业增加值 高新技术企业 科技型中小企业 独角兽企业
瞪羚企业 揭榜挂帅 关键核心技术 国家实验室 新型研发机构 新型举国体制 知识产权强国 质量强国
制造强国 交通强国 网络强国 教育强国 科技强国 人才强国 文化强国 体育强国 农业强国 海洋强国
贸易强国 智慧城市 新型电力系统 能耗双控 绿色低碳 绿色发展 绿水青山就是金山银山 山水林田湖草沙
长江十年禁渔 十年禁渔 非物质文化遗产 文旅融合 全域旅游 夜间经济 平台经济 共享经济 低空经济
银发经济 冰雪经济 首发经济 未来产业 先进制造业集群 民营经济 亲清政商关系 企业家精神 中小微企业
个体工商户 以旧换新 大规模设备更新 全面从严治党 中央八项规定精神 八项规定 基层减负
不忘初心牢记使命 党史学习教育 新型政党制度 社会主义核心价值观 中华优秀传统文化 人工智能
互联网医疗 三医联动 职普融通 强基计划 新工科 稳外贸稳外资 全面依法治国 依法治国 健康中国行动
国家安全体系 应急管理体系 安全生产专项整治 数据要素 算力基础设施 东数西算 新能源 新型储能
充电基础设施 乡村建设行动 种业振兴 藏粮于地藏粮于技 美丽中国 生态文明体制改革
碳排放权交易 绿色金融 普惠金融 科技金融 养老金融 数字金融 金融强国 地方金融组织 金融风险防控
房地产风险 化债 一揽子化债方案
""".split()
# Hunan provincial formulations (Hunan provincial government work reports 2021-2024).
CURATED_HUNAN = """
三高四新 强省会战略 长株潭一体化 长株潭都市圈 湘江新区
湖南自贸试验区 中非经贸博览会 湘赣边区域合作示范区 五好园区 湘商回归
""".split()
# "N大攻坚"-type count formulations: numerals x heads, a pattern (not a list of attested terms).
NUMERALS = "两三四五六七八九十"
NUMERAL_HEADS = ["大攻坚", "大攻坚战", "大行动", "大工程"]


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Corpus and discovery
# ---------------------------------------------------------------------------------------------
def load_runs(gwr_dir: pathlib.Path) -> list[str]:
    """CJK runs of all reports, in simplified characters, without the Wikisource trailer."""
    conv = opencc.OpenCC("t2s")
    paths = sorted(gwr_dir.glob("gwr-*.txt"))
    if not paths:
        raise SystemExit(f"no gwr-*.txt in {gwr_dir}")
    runs: list[str] = []
    for p in paths:
        text = p.read_text(encoding="utf-8")
        cut = text.find(TRAILER)
        if cut >= 0:
            text = text[:cut]
        text = conv.convert(text)
        # Wikisource puts link texts on lines of their own: a single newline is not a break.
        for para in re.split(r"\n\s*\n", text):
            runs.extend(CJK_RUN.findall(para.replace("\n", "")))
    log(f"{len(paths)} reports, {sum(map(len, runs))} CJK characters")
    return runs


def entropy(counter: collections.Counter) -> float:
    total = sum(counter.values())
    h = 0.0
    for key, n in counter.items():
        if key is None:  # run edges: every occurrence is its own neighbour
            h += n * (1 / total) * math.log(total)
        else:
            p = n / total
            h -= p * math.log(p)
    return h


def discover(runs: list[str], tok: jieba.Tokenizer) -> list[tuple[str, int, float, float, float]]:
    """Ranked candidates ``(term, count, pmi, left_entropy, right_entropy)``."""
    counts: collections.Counter = collections.Counter()
    for r in runs:
        n = len(r)
        for i in range(n):
            for k in range(1, min(MAX_LEN, n - i) + 1):
                counts[r[i : i + k]] += 1
    total = sum(len(r) for r in runs)
    cands = {w: c for w, c in counts.items() if MIN_LEN <= len(w) <= MAX_LEN and c >= MIN_COUNT}

    left: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    right: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    on_boundary: collections.Counter = collections.Counter()
    for r in runs:
        n = len(r)
        bounds = {0}
        pos = 0
        for t in tok.cut(r, HMM=False):
            pos += len(t)
            bounds.add(pos)
        for i in range(n):
            for k in range(MIN_LEN, min(MAX_LEN, n - i) + 1):
                w = r[i : i + k]
                if w in cands:
                    left[w][r[i - 1] if i > 0 else None] += 1
                    right[w][r[i + k] if i + k < n else None] += 1
                    if i in bounds and i + k in bounds:
                        on_boundary[w] += 1

    out = []
    for w, c in cands.items():
        pw = c / total
        pmi = math.log(
            min(pw / ((counts[w[:k]] / total) * (counts[w[k:]] / total)) for k in range(1, len(w)))
        )
        if pmi < MIN_PMI:
            continue
        le, ri = entropy(left[w]), entropy(right[w])
        if min(le, ri) < MIN_ENTROPY or on_boundary[w] / c < MIN_BOUNDARY:
            continue
        if w[0] in FUNC_CHARS or w[-1] in FUNC_CHARS or w[0] in BAD_START or w[-1] in BAD_END:
            continue
        if NUMERAL_RUN.search(w) and not w.startswith("第"):
            continue
        if tok.FREQ.get(w):  # jieba already has it as a word
            continue
        segs = tok.lcut(w, HMM=False)
        if len(segs) < 2:
            continue
        if not w.startswith("党的") and any(s in JUNK_TOKENS for s in segs):
            continue
        if segs[0] in EDGE_TOKENS or segs[-1] in EDGE_TOKENS:
            continue
        out.append((w, c, pmi, le, ri))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


# ---------------------------------------------------------------------------------------------
# Other sources
# ---------------------------------------------------------------------------------------------
def agency_terms() -> list[str]:
    terms = set(AGENCY_BARE) | set(YOUTH_LEAGUE)
    for line in AGENCY_TABLE.strip().splitlines():
        stem, *prefixes = line.split()
        for p in prefixes:
            terms.add(p + stem)
    return sorted(terms)


def department_terms() -> list[str]:
    """Terms "X部门" for every national ministry "X部".

    Without them the ministry name, kept whole at a high frequency, would take the 部 of the
    very common "X部门" (交通运输部/门)."""
    return sorted(t + "门" for t in CURATED_AGENCY if t.endswith("部") and len(t) >= 3)


def numeral_terms() -> list[str]:
    return sorted(n + h for n in NUMERALS for h in NUMERAL_HEADS)


# ---------------------------------------------------------------------------------------------
# Frequencies and tags
# ---------------------------------------------------------------------------------------------
# Terms ending in an action noun are tagged vn (乡村振兴, 经济体制改革), the rest n.
VN_ENDINGS = tuple(
    """改革 建设 发展 开发 治理 保护 振兴 创新 融合 整治 改造 攻坚 重组 合作 转化 崛起 防治 开放
    减灾 监管 审查 行动 教育""".split()
)


def pos_for(term: str, source: str) -> str:
    if source in ("agency-pattern", "curated-agency"):
        return "nt"
    if source == "numeral-pattern":
        return "nz"
    if source == "curated-national-nz":
        return "nz"
    if term[0] in "一两二三四五六七八九十第":
        return "nz"
    if term.endswith(VN_ENDINGS):
        return "vn"
    return "n"


def compute_freqs(terms: list[str], base_tok: jieba.Tokenizer) -> dict[str, int]:
    """A frequency per term that keeps it whole with all terms loaded; deterministic."""
    freqs = {t: max(BASE_FREQ, base_tok.FREQ.get(t, 0)) for t in terms}
    for _ in range(5):
        tok = jieba.Tokenizer()
        tok.initialize()
        for t in terms:
            tok.add_word(t, freqs[t])
        changed = False
        for t in terms:
            if tok.lcut(t, HMM=False) != [t] or tok.lcut(t, HMM=True) != [t]:
                need = tok.suggest_freq(t, tune=False)
                freqs[t] = max(freqs[t] * 2, need + 1)
                changed = True
        if not changed:
            return freqs
    raise SystemExit("frequencies did not settle")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gwr", default=str(REPO.parent / "shared" / "corpus" / "gwr"))
    ap.add_argument("--out", default=str(REPO / "analysis" / "resources" / "policy_terms.tsv"))
    ap.add_argument("--dump-candidates", metavar="TSV", help="write the ranked discovery list")
    args = ap.parse_args()

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()

    runs = load_runs(pathlib.Path(args.gwr))
    ranked = discover(runs, tok)
    log(f"discovery: {len(ranked)} candidates")
    if args.dump_candidates:
        with open(args.dump_candidates, "w", encoding="utf-8") as f:
            f.write("term\tcount\tpmi\tleft_entropy\tright_entropy\taccepted\n")
            for w, c, pmi, le, ri in ranked:
                acc = "yes" if w in set(GWR_ACCEPT) else ""
                f.write(f"{w}\t{c}\t{pmi:.3f}\t{le:.3f}\t{ri:.3f}\t{acc}\n")
    found = {r[0] for r in ranked}
    missing = sorted(set(GWR_ACCEPT) - found)
    if missing:
        raise SystemExit(f"accepted terms not produced by discovery: {' '.join(missing)}")

    sources: dict[str, str] = {}

    def put(terms, source: str) -> None:
        for t in terms:
            sources.setdefault(t, source)  # first source wins: curated before discovery

    put(CURATED_AGENCY, "curated-agency")
    put(agency_terms(), "agency-pattern")
    put(department_terms(), "agency-pattern")
    put(CURATED_NATIONAL_NZ, "curated-national-nz")
    put(CURATED_NATIONAL_N, "curated-national")
    put(CURATED_HUNAN, "curated-hunan")
    put(numeral_terms(), "numeral-pattern")
    put(GWR_ACCEPT, "gwr-discovery")

    terms = sorted(sources)
    freqs = compute_freqs(terms, tok)
    lines = []
    counts: collections.Counter = collections.Counter()
    for t in terms:
        src = sources[t]
        pos = pos_for(t, src)
        src = "curated-national" if src == "curated-national-nz" else src
        counts[src] += 1
        lines.append(f"{t}\t{freqs[t]}\t{pos}\t{src}\n")

    header = (
        "# policytext policy dictionary: terms the segmenter must keep whole.\n"
        "# Columns: term<TAB>freq<TAB>pos<TAB>source_id\n"
        "#   freq: jieba frequency for Tokenizer.add_word; max(20000, jieba's own frequency,\n"
        "#         what suggest_freq needs with all terms loaded)\n"
        "#   pos:  jieba/ICTCLAS tag (n, nz, nt = organisation, vn)\n"
        "#   source_id: defined, with licence, in SOURCES.md (same folder)\n"
        "# Generated by benchmarks/tools/build_policy_dict.py; do not edit by hand.\n"
        f"# Entries: {len(lines)} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + ")\n"
    )
    pathlib.Path(args.out).write_text(header + "".join(lines), encoding="utf-8")
    log(f"{len(lines)} terms -> {args.out}")
    for k, v in sorted(counts.items()):
        log(f"  {k}: {v}")


if __name__ == "__main__":
    main()
