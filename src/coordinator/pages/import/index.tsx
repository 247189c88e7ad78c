/**
 * 导入住户 (coordinator): the register from a spreadsheet. Get the template (H5 downloads it,
 * weapp copies it), pick the filled-in CSV, see what it would do (new / updated households, new
 * buildings, the first rows) or every bad line with its reason — nothing is written until 确认导入.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { call, CallError } from '../../../client/call'
import { offerTemplate, pickCsvFile, type PickedFile } from '../../../client/csv-file'
import { PageRoot } from '../../../components/large-text'
import { IMPORT_HEADER, IMPORT_TEMPLATE } from '../../../core/household/import'
import { isolationLabel } from '../../../core/household/register'
import type { ImportResult } from '../../../core/household/views'
import './index.scss'

type Step =
  | { at: 'pick' }
  | { at: 'checking'; file: PickedFile }
  | { at: 'preview'; file: PickedFile; result: ImportResult }
  | { at: 'bad'; file: PickedFile; error: CallError }
  | { at: 'writing'; file: PickedFile; result: ImportResult }
  | { at: 'done'; result: ImportResult }

/** 'line.12' → 12, for ordering the bad lines. */
const lineOf = (key: string) => Number(key.replace(/^line\./, '')) || 0

export default function CoordinatorImport() {
  const [step, setStep] = useState<Step>({ at: 'pick' })
  const [notice, setNotice] = useState<string | null>(null)

  const template = async () => {
    const how = await offerTemplate('住户导入模板.csv', IMPORT_TEMPLATE)
    setNotice(how === 'copied' ? '模板已复制，粘贴到电脑上存成 .csv 文件' : '模板已下载，用 Excel 打开填写')
  }

  const pick = async () => {
    setNotice(null)
    let file: PickedFile | null
    try {
      file = await pickCsvFile()
    } catch (e) {
      setNotice(e instanceof CallError ? e.message : '没能打开文件，请再试一次')
      return
    }
    if (!file) return
    setStep({ at: 'checking', file })
    try {
      const result = await call('coord.importHouseholds', { csvBase64: file.base64, dryRun: true })
      setStep({ at: 'preview', file, result })
    } catch (e) {
      setStep({ at: 'bad', file, error: e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试') })
    }
  }

  const write = async (file: PickedFile, preview: ImportResult) => {
    setStep({ at: 'writing', file, result: preview })
    try {
      const result = await call('coord.importHouseholds', { csvBase64: file.base64 })
      setStep({ at: 'done', result })
      void Taro.showToast({ title: '导入好了', icon: 'success' })
    } catch (e) {
      setStep({ at: 'bad', file, error: e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试') })
    }
  }

  const pickButton = (label: string) => (
    <Button type='primary' size='large' block onClick={() => void pick()} data-testid='pick-file'>
      {label}
    </Button>
  )

  return (
    <PageRoot className='coord-import'>
      <Text className='page__title'>导入住户</Text>
      {(step.at === 'pick' || step.at === 'checking') && (
        <>
          <View className='card'>
            <Text className='coord-import__how'>1. 先下载模板，用 Excel 填好，每户一行</Text>
            <Text className='coord-import__header'>{IMPORT_HEADER}</Text>
            <Text className='coord-import__how muted'>隔离状态填：集中隔离、居家隔离、居家健康监测、无；日期写成 2022-04-10；多个特殊情况用「;」或「、」隔开</Text>
            <Button size='large' block onClick={() => void template()} data-testid='template'>
              {process.env.TARO_ENV === 'h5' ? '下载模板' : '复制模板'}
            </Button>
          </View>
          <View className='card'>
            <Text className='coord-import__how'>2. 在 Excel 里「另存为 CSV」，再选这个文件。先检查，确认后才导入</Text>
            {step.at === 'checking' ? (
              <Button type='primary' size='large' block loading disabled>
                正在检查 {step.file.name}…
              </Button>
            ) : (
              pickButton(process.env.TARO_ENV === 'h5' ? '选择 CSV 文件' : '从聊天里选 CSV 文件')
            )}
          </View>
        </>
      )}

      {(step.at === 'preview' || step.at === 'writing') && (
        <View data-testid='import-preview'>
          <View className='card'>
            <Text className='coord-import__file'>{step.file.name}</Text>
            <View className='coord-import__figures'>
              <View className='coord-import__figure' data-testid='count-new' data-value={String(step.result.created)}>
                <Text className='coord-import__n'>{step.result.created}</Text>
                <Text>新增户</Text>
              </View>
              <View className='coord-import__figure' data-testid='count-updated' data-value={String(step.result.updated)}>
                <Text className='coord-import__n'>{step.result.updated}</Text>
                <Text>更新户</Text>
              </View>
              <View className='coord-import__figure' data-testid='count-buildings' data-value={String(step.result.buildingsCreated.length)}>
                <Text className='coord-import__n'>{step.result.buildingsCreated.length}</Text>
                <Text>新楼栋</Text>
              </View>
            </View>
            {step.result.buildingsCreated.length > 0 && (
              <Text className='muted'>将新建：{step.result.buildingsCreated.join('、')}</Text>
            )}
          </View>
          <View className='card'>
            <Text className='coord-import__section'>
              前 {step.result.preview.length} 行（共 {step.result.rows} 行）
            </Text>
            {step.result.preview.map((r) => (
              <View key={r.line} className='list-row coord-import__row' data-testid='preview-row'>
                <Text className={`coord-import__dot coord-import__dot--${r.colour}`} />
                <View className='coord-import__door'>
                  <Text>{r.label}</Text>
                  <Text className='muted coord-import__sub'>
                    {isolationLabel(r.isolation)}
                    {r.specialNeeds.length > 0 ? ` · ${r.specialNeeds.join('、')}` : ''}
                  </Text>
                </View>
                <Text className={`coord-import__action coord-import__action--${r.action}`}>{r.action === 'new' ? '新增' : '更新'}</Text>
              </View>
            ))}
          </View>
          <Button
            type='primary'
            size='large'
            block
            loading={step.at === 'writing'}
            disabled={step.at === 'writing'}
            onClick={() => step.at === 'preview' && void write(step.file, step.result)}
            data-testid='confirm-import'
          >
            确认导入 {step.result.rows} 户
          </Button>
          <Text className='inline-panel__cancel' onClick={() => setStep({ at: 'pick' })}>
            换一个文件
          </Text>
        </View>
      )}

      {step.at === 'bad' && (
        <View data-testid='import-error'>
          <View className='card coord-import__bad'>
            <Text className='coord-import__bad-title'>没有导入</Text>
            <Text className='coord-import__bad-message'>{step.error.message}</Text>
            <Text className='muted'>{step.file.name}</Text>
          </View>
          {Object.keys(step.error.fields).length > 0 && (
            <View className='card' data-testid='bad-lines'>
              {Object.entries(step.error.fields)
                .sort(([a], [b]) => lineOf(a) - lineOf(b))
                .map(([key, reason]) => (
                  <Text key={key} className='coord-import__bad-line' data-testid='bad-line' data-line={String(lineOf(key))}>
                    {reason}
                  </Text>
                ))}
            </View>
          )}
          {pickButton('改好了，重新选择文件')}
        </View>
      )}

      {step.at === 'done' && (
        <View className='card' data-testid='import-done'>
          <Text className='coord-import__done'>
            已导入 {step.result.rows} 户：新增 {step.result.created} 户，更新 {step.result.updated} 户
            {step.result.buildingsCreated.length > 0 ? `，新建${step.result.buildingsCreated.join('、')}` : ''}
          </Text>
          <Button type='primary' size='large' block onClick={() => void Taro.redirectTo({ url: '/coordinator/pages/map/index' })} data-testid='to-map'>
            看楼栋图
          </Button>
          <Text className='inline-panel__cancel' onClick={() => setStep({ at: 'pick' })}>
            再导入一个文件
          </Text>
        </View>
      )}

      {notice && <Text className='coord-import__notice'>{notice}</Text>}
    </PageRoot>
  )
}
